import { Global, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Redis } from 'ioredis';
import { appConfig } from '../config/app.config';
import { InvalidationBus } from './invalidation-bus';
import { REDIS } from './redis.token';

export { InjectRedis, REDIS } from './redis.token';

const logger = new Logger('Redis');

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [appConfig.KEY],
      useFactory: (config: ConfigType<typeof appConfig>): Redis | null => {
        if (!config.redisUrl) return null;
        const client = new Redis(config.redisUrl, {
          // Fail fast while Redis is away (callers fall back), reconnect forever in the background.
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
        });
        let lastWarning = 0;
        // An unhandled 'error' event would kill the process; warn at most every 10 s instead.
        client.on('error', (error: Error) => {
          if (Date.now() - lastWarning > 10_000) {
            lastWarning = Date.now();
            logger.warn(`Redis unavailable: ${error.message}`);
          }
        });
        return client;
      },
    },
    {
      provide: 'REDIS_SHUTDOWN',
      inject: [REDIS],
      useFactory: (client: Redis | null): OnApplicationShutdown => ({
        onApplicationShutdown: async () => {
          if (client) await client.quit().catch(() => client.disconnect());
        },
      }),
    },
    InvalidationBus,
  ],
  exports: [REDIS, InvalidationBus],
})
export class RedisModule {}
