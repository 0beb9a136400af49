import { Inject } from '@nestjs/common';

/** The shared ioredis client, or null when REDIS_URL is unset (single-process default). */
export const REDIS = Symbol('REDIS');

export const InjectRedis = () => Inject(REDIS);
