import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, problemType } from '../errors/problem';

/** Node's parser errors, by code, as the problems the API answers everywhere else. */
const PARSER_PROBLEMS: Record<string, { status: number; code: string; title: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'headers-too-large',
    title: 'The request line or headers are too large',
  },
  HPE_URI_TOO_LONG: { status: 414, code: 'uri-too-long', title: 'The request URI is too long' },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'request-timeout',
    title: 'The request took too long to arrive',
  },
};
const MALFORMED = {
  status: 400,
  code: 'malformed-request',
  title: 'The request is not valid HTTP',
};

/** Fastify's routing errors (a path segment that is not valid URL encoding, or too long). */
const ROUTING_PROBLEMS: Record<string, { status: number; code: string; title: string }> = {
  FST_ERR_BAD_URL: { status: 400, code: 'malformed-url', title: 'The URL is not validly encoded' },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'uri-too-long',
    title: 'A path parameter is too long',
  },
};

function problemBody(problem: { status: number; code: string; title: string }): string {
  return JSON.stringify({
    type: problemType(problem.code),
    title: problem.title,
    status: problem.status,
    detail: problem.title,
    errors: [],
  });
}

interface MinimalReply {
  code(status: number): MinimalReply;
  header(name: string, value: string): MinimalReply;
  send(payload: string): unknown;
}

/**
 * Errors Fastify's router raises before any route runs (so before Nest's filter), answered as
 * problem documents (Fastify's `frameworkErrors`).
 */
export function answerFrameworkError(
  error: Error & { code?: string; statusCode?: number },
  _request: unknown,
  reply: MinimalReply,
): void {
  const problem = ROUTING_PROBLEMS[error.code ?? ''] ?? {
    ...MALFORMED,
    status: error.statusCode && error.statusCode < 500 ? error.statusCode : 400,
  };
  reply
    .code(problem.status)
    .header('Content-Type', PROBLEM_CONTENT_TYPE)
    .header('Cache-Control', 'no-store')
    .send(problemBody(problem));
}

/**
 * Requests Node's HTTP parser refuses (oversized headers or URL, malformed HTTP) never reach
 * Fastify's routing, so they are answered here, still as a problem document (Fastify's
 * `clientErrorHandler`).
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const problem = PARSER_PROBLEMS[error.code ?? ''] ?? MALFORMED;
  const body = problemBody(problem);
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
      `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Cache-Control: no-store\r\nConnection: close\r\n\r\n' +
      body,
  );
}
