import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  AppException,
  CommonException,
  flattenValidationErrors,
  inputHazards,
  unavailableProblem,
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
 * Any error as an error acknowledgement: a 503 with `retryAfterSeconds` when the database or Redis
 * is away; other unknown ones are logged and answered generically.
 */
export function errorAck(error: unknown, log: (message: string) => void): Ack {
  if (error instanceof AppException) return appErrorAck(error);
  const unavailable = unavailableProblem(error);
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  if (unavailable) return appErrorAck(unavailable);
  return {
    ok: false,
    error: { status: 500, title: 'Internal error', detail: 'The event was not processed.' },
  };
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
