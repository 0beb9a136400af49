import { type AppException, CommonErrorCode, type FieldError } from './app.exception';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem document, as every error of the API is answered. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors: FieldError[];
  [extension: string]: unknown;
}

/** Problem type URIs are relative references under /problems/, one per error code. */
export function problemType(code: string): string {
  return `/problems/${code}`;
}

export function toProblem(e: AppException, instance?: string): ProblemDocument {
  return {
    ...(e.extensions ?? {}),
    type: problemType(e.code),
    title: e.title,
    status: e.status,
    detail: e.detail ?? e.title,
    ...(instance ? { instance } : {}),
    errors: e.errors ?? [],
  };
}

const STATUS_CODES: Record<number, CommonErrorCode> = {
  400: CommonErrorCode.ValidationFailed,
  401: CommonErrorCode.Unauthenticated,
  403: CommonErrorCode.Forbidden,
  404: CommonErrorCode.NotFound,
  409: CommonErrorCode.Conflict,
  413: CommonErrorCode.PayloadTooLarge,
  415: CommonErrorCode.UnsupportedMediaType,
  429: CommonErrorCode.RateLimited,
  503: CommonErrorCode.Unavailable,
};

/** The common code for a bare HTTP status (framework errors that carry no code of ours). */
export function codeForStatus(status: number): CommonErrorCode {
  return (
    STATUS_CODES[status] ??
    (status >= 500 ? CommonErrorCode.Internal : CommonErrorCode.ValidationFailed)
  );
}
