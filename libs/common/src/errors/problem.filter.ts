import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppException, CommonErrorCode, CommonException } from './app.exception';
import { codeForStatus, PROBLEM_CONTENT_TYPE, ProblemDocument, toProblem } from './problem';
import { unavailableProblem } from './unavailable';

const logger = new Logger('Problem');

/** Messages of framework errors we are willing to repeat to clients. */
const FRAMEWORK_DETAILS: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is larger than this server accepts.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Send JSON with Content-Type: application/json.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The JSON body is empty.',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The Content-Length header does not match the body.',
};

/**
 * Turns anything thrown into an RFC 9457 problem document. Only our own exceptions and a few
 * known framework errors contribute a detail: unknown errors answer a generic 500 (a 503 when the
 * database or Redis is away) and are logged, so no stack trace or SQL ever reaches a client.
 */
export function problemFor(error: unknown): {
  problem: ProblemDocument;
  headers: Record<string, string>;
} {
  const headers: Record<string, string> = {};
  let appError: AppException;

  if (error instanceof AppException) {
    appError = error;
  } else if (error instanceof HttpException && isFrameworkHttpError(error.cause)) {
    // Nest hands Fastify's own errors (body parsing, size, media type) over as HttpExceptions
    // carrying the original: answer with our wording, not the parser's.
    appError = frameworkProblem(error.cause);
  } else if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'object' && response && 'message' in response
        ? (response as { message: unknown }).message
        : response;
    const detail = status < 500 && typeof message === 'string' ? message : undefined;
    appError = new CommonException(codeForStatus(status), detail);
  } else if (isFrameworkHttpError(error)) {
    appError = frameworkProblem(error);
  } else {
    appError = unexpectedError(error);
  }

  const problem = toProblem(appError);
  const retryAfter = appError.extensions?.retryAfterSeconds;
  if (appError.status === 429) headers['Retry-After'] = String(retryAfter ?? 60);
  else if (appError.status === 503 && retryAfter) headers['Retry-After'] = String(retryAfter);
  return { problem, headers };
}

/**
 * An error none of ours, as the exception answered for it (over HTTP and in socket acks): a 503 the
 * client can retry when the database or Redis is away (a warning in the log), else a generic 500
 * whose cause stays in the log.
 */
export function unexpectedError(error: unknown): AppException {
  const unavailable = unavailableProblem(error);
  if (unavailable) {
    logger.warn(`answered 503: ${error instanceof Error ? error.message : String(error)}`);
    return unavailable;
  }
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return new CommonException(
    CommonErrorCode.Internal,
    'Something went wrong on our side. The request was not completed.',
  );
}

function frameworkProblem(error: { statusCode: number; code?: string }): CommonException {
  const known = FRAMEWORK_DETAILS[error.code ?? ''];
  return new CommonException(
    codeForStatus(error.statusCode),
    known ?? 'The request could not be read.',
  );
}

function isFrameworkHttpError(e: unknown): e is { statusCode: number; code?: string } {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { statusCode?: unknown }).statusCode === 'number' &&
    (e as { statusCode: number }).statusCode >= 400 &&
    (e as { statusCode: number }).statusCode < 500
  );
}

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest | undefined,
  error: unknown,
): void {
  const { problem, headers } = problemFor(error);
  if (request?.url) problem.instance = request.url.split('?')[0];
  void reply
    .status(problem.status)
    .headers(headers)
    .header('Content-Type', PROBLEM_CONTENT_TYPE)
    .header('Cache-Control', 'no-store')
    .send(JSON.stringify(problem));
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    sendProblem(http.getResponse<FastifyReply>(), http.getRequest<FastifyRequest>(), exception);
  }
}
