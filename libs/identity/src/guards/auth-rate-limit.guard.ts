import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { appConfig, CommonErrorCode, CommonException, InjectRedis } from '@kinship/common';
import { identityConfig } from '../identity.config';

export type AuthBucket = 'login' | 'register' | 'refresh';
const BUCKET_KEY = 'kinship:auth-bucket';

/** Names the per-IP bucket a sign-in route draws from. */
export const AuthRateLimit = (bucket: AuthBucket) => SetMetadata(BUCKET_KEY, bucket);

/**
 * Per-IP limits on sign-in, registration and refresh. With REDIS_URL the counters live in Redis,
 * so every api process shares one limit; while Redis is away each process limits on its own.
 */
@Injectable()
export class AuthRateLimitGuard implements CanActivate {
  private readonly limiters: Record<AuthBucket, RateLimiterAbstract>;

  constructor(
    private readonly reflector: Reflector,
    @InjectRedis() redis: Redis | null,
    @Inject(identityConfig.KEY) config: ConfigType<typeof identityConfig>,
    @Inject(appConfig.KEY) app: ConfigType<typeof appConfig>,
  ) {
    const make = (keyPrefix: string, points: number): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ keyPrefix, points, duration: 60 });
      return redis
        ? new RateLimiterRedis({
            storeClient: redis,
            keyPrefix: `${app.redisKeyPrefix}:rl:${keyPrefix}`,
            points,
            duration: 60,
            insuranceLimiter: memory,
          })
        : memory;
    };
    const perMinute = config.loginRateLimitPerMinute;
    this.limiters = {
      login: make('login', perMinute),
      register: make('register', perMinute),
      // Clients refresh on their own schedule; only a flood is refused.
      refresh: make('refresh', perMinute * 10),
    };
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const bucket = this.reflector.get<AuthBucket | undefined>(BUCKET_KEY, context.getHandler());
    if (!bucket) return true;
    const ip = context.switchToHttp().getRequest<FastifyRequest>().ip;
    try {
      await this.limiters[bucket].consume(ip);
      return true;
    } catch (result) {
      if (!(result instanceof RateLimiterRes)) throw result;
      const retryAfterSeconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
      throw new CommonException(
        CommonErrorCode.RateLimited,
        `Too many attempts from your network. Try again in ${retryAfterSeconds} seconds.`,
        undefined,
        { retryAfterSeconds },
      );
    }
  }
}
