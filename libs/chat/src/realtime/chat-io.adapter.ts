import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { CompactRecoveryAdapter } from './compact-recovery.adapter';

export interface ChatIoOptions {
  redisUrl?: string;
  keyPrefix: string;
  maxPayloadBytes: number;
  corsOrigins: string[];
}

const logger = new Logger('ChatIoAdapter');

/**
 * socket.io for the api. With REDIS_URL, the Redis streams adapter lets several processes share
 * rooms: it resumes the stream after a Redis outage (the classic pub/sub adapter loses packets)
 * and supports connection-state recovery. Without it, the in-memory adapter of one process, with
 * recovery from a compact buffer (CompactRecoveryAdapter).
 */
export class ChatIoAdapter extends IoAdapter {
  private redis?: Redis;

  constructor(
    app: INestApplicationContext,
    private readonly options: ChatIoOptions,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server: Server = super.createIOServer(port, {
      ...options,
      serveClient: false,
      maxHttpBufferSize: this.options.maxPayloadBytes,
      cors: this.options.corsOrigins.length ? { origin: this.options.corsOrigins } : undefined,
      // A client that drops for a moment gets its rooms and missed packets back; the handshake
      // middleware (authentication) runs again, and the gateway re-checks memberships.
      connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
    } as ServerOptions);
    if (this.options.redisUrl) {
      // Its own connection, queueing while Redis is away: the adapter's stream reader blocks on it.
      this.redis = new Redis(this.options.redisUrl, {
        maxRetriesPerRequest: null,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      });
      let lastWarning = 0;
      this.redis.on('error', (error: Error) => {
        if (Date.now() - lastWarning > 10_000) {
          lastWarning = Date.now();
          logger.warn(`Redis unavailable for realtime fan-out: ${error.message}`);
        }
      });
      const prefix = this.options.keyPrefix;
      server.adapter(
        createAdapter(this.redis, {
          streamName: `${prefix}:socket.io`,
          channelPrefix: `${prefix}:socket.io`,
          sessionKeyPrefix: `${prefix}:sio:session:`,
        }),
      );
    } else {
      server.adapter(CompactRecoveryAdapter);
    }
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}
