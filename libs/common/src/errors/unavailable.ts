import { QueryFailedError } from 'typeorm';
import { CommonErrorCode, CommonException } from './app.exception';

/** How long clients are asked to wait before retrying while a backing service is away. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** Node's codes for a connection that could not be made or was lost. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs a statement fails with when the server goes away under it: connection exceptions
 * (class 08), too many connections, and shutdown or not yet accepting (57P01-57P03).
 */
const statementLostServer = (code: string) =>
  code.startsWith('08') || code === '53300' || /^57P0[1-3]$/.test(code);

/**
 * SQLSTATEs of a refused connection attempt, beyond those: a changed password (class 28), a
 * missing database (3D000), a database closed to connections (55000).
 */
const connectionRefused = (code: string) =>
  statementLostServer(code) || code.startsWith('28') || code === '3D000' || code === '55000';

/** node-postgres and ioredis say so in words (these errors carry no code). */
const LOST_CONNECTION =
  /^Connection terminated|timeout exceeded when trying to connect|not queryable|^Connection is closed/;

/**
 * True when `error` means the database (or Redis) could not be reached, rather than that the
 * request was wrong or our code failed. Errors of a statement come wrapped in TypeORM's
 * QueryFailedError; those of opening a connection come bare (the pool's). TypeORM releases a query
 * runner whose connection died, so the transaction's next statement fails with
 * QueryRunnerAlreadyReleasedError.
 */
export function isServiceUnreachable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  if (error instanceof QueryFailedError) {
    const driver = error.driverError as { code?: unknown; message?: unknown } | undefined;
    return typeof driver?.code === 'string'
      ? statementLostServer(driver.code)
      : saysConnectionLost(driver?.message ?? error.message);
  }
  const { code, message, name, cause } = error as Record<string, unknown>;
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || connectionRefused(code))) {
    return true;
  }
  if (name === 'QueryRunnerAlreadyReleasedError' || name === 'MaxRetriesPerRequestError') {
    return true;
  }
  return saysConnectionLost(message) || isServiceUnreachable(cause, depth + 1);
}

const saysConnectionLost = (message: unknown) =>
  typeof message === 'string' && LOST_CONNECTION.test(message);

/** The 503 answered instead of an unreachable service's error, or undefined for other errors. */
export function unavailableProblem(error: unknown): CommonException | undefined {
  if (!isServiceUnreachable(error)) return undefined;
  return new CommonException(
    CommonErrorCode.Unavailable,
    'The server could not reach its data store, so the request may not have been completed. ' +
      'Try again in a few seconds.',
    undefined,
    { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS },
  );
}
