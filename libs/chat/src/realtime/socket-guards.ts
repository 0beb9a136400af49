import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  AppException,
  CommonException,
  flattenValidationErrors,
  inputHazards,
  unexpectedError,
} from '@kinship/common';
import type { Ack } from './chat.events';

/** A token bucket per socket: `perSecond` sustained, `burst` at once. */
export class TokenBucket {
  private tokens: number;
  private last = Date.now();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  /** Takes a token; the seconds to wait when there is none. */
  take(): number {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return (1 - this.tokens) / this.perSecond;
  }
}

/**
 * Socket payloads get the same validation (and the same 400 wording) as HTTP bodies. `accepted`
 * may answer the common valid payload quickly (undefined: the full validation decides).
 */
export function validatePayload<T extends object>(
  schema: new () => T,
  payload: unknown,
  accepted?: (payload: object) => T | undefined,
): T {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw CommonException.validation([{ field: 'payload', message: 'must be a JSON object' }]);
  }
  const hazards = inputHazards(payload);
  if (hazards.length) throw CommonException.validation(hazards);
  const quick = accepted?.(payload);
  if (quick) return quick;
  const instance = plainToInstance(schema, payload);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw CommonException.validation(flattenValidationErrors(errors));
  return instance;
}

/**
 * Any error as an error acknowledgement, worded as over HTTP: errors not of ours are logged and
 * answered as a 503 with `retryAfterSeconds` (database or Redis away) or a generic 500.
 */
export function errorAck(error: unknown): Ack {
  return appErrorAck(error instanceof AppException ? error : unexpectedError(error));
}

function appErrorAck(error: AppException): Ack {
  return {
    ok: false,
    error: {
      // Extension members first (e.g. `category` and `crisisResources` of a blocked send).
      ...(error.extensions ?? {}),
      status: error.status,
      title: error.title,
      detail: error.detail ?? error.title,
      ...(error.errors?.length ? { errors: error.errors } : {}),
    },
  };
}
