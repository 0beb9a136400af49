import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import pino, { type Logger as Pino, type LoggerOptions } from 'pino';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Pino options shared by the HTTP server (Fastify's own logger) and the other apps. Requests are
 * logged with method, path, status and request id only: never a body, query string, header,
 * password or token.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers',
        'req.body',
        '*.password',
        '*.refreshToken',
        '*.accessToken',
        '*.token',
        '*.authorization',
      ],
      remove: true,
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url?.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

/** The request id: the caller's X-Request-Id when well-formed, a new UUID otherwise. */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

export function createLogger(level: string): Pino {
  return pino(loggerOptions(level));
}

/** Nest's own messages (startup, errors) through the same pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, context?: string) {
    this.pino.info({ context: contextOf(context) }, String(message));
  }
  error(message: unknown, ...rest: unknown[]) {
    const context = rest.length ? rest[rest.length - 1] : undefined;
    const stack = rest.length > 1 ? rest[0] : undefined;
    this.pino.error({ context: contextOf(context), stack }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.pino.warn({ context: contextOf(context) }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.pino.debug({ context: contextOf(context) }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.pino.trace({ context: contextOf(context) }, String(message));
  }
}

function contextOf(context: unknown): string | undefined {
  return typeof context === 'string' ? context : undefined;
}
