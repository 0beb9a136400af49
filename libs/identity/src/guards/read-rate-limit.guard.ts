import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { appConfig, CommonErrorCode, CommonException, InjectRedis } from '@kinship/common';
import { READ_RATE_EXCEEDED, type ReadRateExceededEvent } from '../identity.events';
import { readLimitConfig } from '../read-limit.config';
import type { AuthenticatedRequest } from './auth.decorators';

const WINDOW_SECONDS = 60;
const LIMITED_READ_KEY = 'kinship:limited-read';

/** Marks a route that serves pages of community content: it counts against the read limit. */
export const LimitedRead = () => SetMetadata(LIMITED_READ_KEY, true);

/**
 * Anti-scraping: pages of patients' words (threads, posts, chat history, member lists) a reader
 * may fetch a minute, counted per member (per IP address for anonymous readers of public groups)
 * and shared through Redis across api processes. Over the limit: a 429, and, the first time in a
 * window, a READ_RATE_EXCEEDED event (moderation puts the member in front of platform staff).
 * Registered globally after the AccessGuard, so the caller is known; acts on @LimitedRead() routes.
 */
@Injectable()
export class ReadRateLimitGuard implements CanActivate {
  private readonly limiter: RateLimiterAbstract;
  private readonly points: number;

  constructor(
    private readonly reflector: Reflector,
    private readonly events: EventEmitter2,
    @InjectRedis() redis: Redis | null,
    @Inject(readLimitConfig.KEY) config: ConfigType<typeof readLimitConfig>,
    @Inject(appConfig.KEY) app: ConfigType<typeof appConfig>,
  ) {
    this.points = config.perMinute;
    const options = { points: this.points, duration: WINDOW_SECONDS };
    const memory = new RateLimiterMemory({ ...options, keyPrefix: 'reads' });
    this.limiter = redis
      ? new RateLimiterRedis({
          ...options,
          storeClient: redis,
          keyPrefix: `${app.redisKeyPrefix}:rl:reads`,
          insuranceLimiter: memory,
        })
      : memory;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (!this.reflector.get<boolean>(LIMITED_READ_KEY, context.getHandler())) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const userId = request.user?.id ?? null;
    try {
      await this.limiter.consume(userId ? `user:${userId}` : `ip:${request.ip}`);
      return true;
    } catch (result) {
      if (!(result instanceof RateLimiterRes)) throw result;
      if (result.consumedPoints === this.points + 1) {
        const event: ReadRateExceededEvent = {
          userId,
          reads: result.consumedPoints,
          windowSeconds: WINDOW_SECONDS,
        };
        this.events.emit(READ_RATE_EXCEEDED, event);
      }
      const retryAfterSeconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
      throw new CommonException(
        CommonErrorCode.RateLimited,
        `You are reading faster than a person reads. Try again in ${retryAfterSeconds} seconds.`,
        undefined,
        { retryAfterSeconds },
      );
    }
  }
}
