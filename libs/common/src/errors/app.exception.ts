/** One entry of a problem document's `errors` list. */
export interface FieldError {
  field: string;
  message: string;
}

/** How a module's error code is shown over HTTP. */
export interface ProblemSpec {
  status: number;
  title: string;
}

/**
 * Base of every module's exception. A module declares an enum of codes and a table mapping each
 * code to its HTTP status and title (see identity.exception.ts); the problem filter turns any
 * AppException into an RFC 9457 document. Services and repositories throw these, never
 * HTTP exceptions.
 */
export abstract class AppException extends Error {
  readonly status: number;
  readonly title: string;

  protected constructor(
    readonly code: string,
    spec: ProblemSpec,
    readonly detail?: string,
    readonly errors?: FieldError[],
    /** Extra members of the problem document (e.g. `retryAfterSeconds`). */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail ?? spec.title);
    this.name = new.target.name;
    this.status = spec.status;
    this.title = spec.title;
  }
}

export enum CommonErrorCode {
  ValidationFailed = 'validation-failed',
  NotFound = 'not-found',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  Conflict = 'conflict',
  RateLimited = 'rate-limited',
  PayloadTooLarge = 'payload-too-large',
  UnsupportedMediaType = 'unsupported-media-type',
  Internal = 'internal-error',
  Unavailable = 'service-unavailable',
}

const COMMON_PROBLEMS: Record<CommonErrorCode, ProblemSpec> = {
  [CommonErrorCode.ValidationFailed]: { status: 400, title: 'Your request has invalid fields' },
  [CommonErrorCode.NotFound]: { status: 404, title: 'Not found' },
  [CommonErrorCode.Unauthenticated]: { status: 401, title: 'Authentication required' },
  [CommonErrorCode.Forbidden]: { status: 403, title: 'Not allowed' },
  [CommonErrorCode.Conflict]: { status: 409, title: 'Conflict' },
  [CommonErrorCode.RateLimited]: { status: 429, title: 'Too many requests' },
  [CommonErrorCode.PayloadTooLarge]: { status: 413, title: 'Request body too large' },
  [CommonErrorCode.UnsupportedMediaType]: { status: 415, title: 'Unsupported media type' },
  [CommonErrorCode.Internal]: { status: 500, title: 'Internal error' },
  [CommonErrorCode.Unavailable]: { status: 503, title: 'Service unavailable' },
};

/** Errors that belong to no feature: validation, unknown routes, limits. */
export class CommonException extends AppException {
  constructor(
    code: CommonErrorCode,
    detail?: string,
    errors?: FieldError[],
    extensions?: Record<string, unknown>,
  ) {
    super(code, COMMON_PROBLEMS[code], detail, errors, extensions);
  }

  static validation(errors: FieldError[], detail?: string): CommonException {
    return new CommonException(
      CommonErrorCode.ValidationFailed,
      detail ?? errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      errors,
    );
  }

  static notFound(
    detail = 'The resource does not exist or is not visible to you.',
  ): CommonException {
    return new CommonException(CommonErrorCode.NotFound, detail);
  }
}
