import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Redis } from 'ioredis';
import { appConfig } from '../config/app.config';
import { REDIS } from './redis.token';

/** The key that stands for every key of a topic (e.g. a global rule changed every group's). */
export const ALL_KEYS = '*';

/** Drops what is cached under `key` (or everything, for ALL_KEYS); must not throw. */
export type InvalidationHandler = (key: string) => void;

const logger = new Logger('InvalidationBus');

/**
 * Tells every process that something cached under a key changed, so per-process caches drop it at
 * once instead of serving it until their TTL. With REDIS_URL a message goes out on Redis pub/sub
 * (channel `<REDIS_KEY_PREFIX>:invalidate:<topic>`) and every subscribed process drops the key;
 * without it, only this process's handlers run, which is all there is. Delivery is best effort:
 * while Redis is away messages are lost, so caches keep their TTL as the bound on staleness.
 */
@Injectable()
export class InvalidationBus implements OnApplicationShutdown {
  private readonly handlers = new Map<string, Set<InvalidationHandler>>();
  /** Our own messages come back from Redis; this process has already dropped those keys. */
  private readonly origin = randomUUID();
  private subscriber?: Redis;
  private closing = false;
  private lastWarning = 0;

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(appConfig.KEY)
    private readonly app: Pick<ConfigType<typeof appConfig>, 'redisKeyPrefix'>,
  ) {}

  /**
   * Runs `handler` with each key of `topic` that changes, here or on another process. Resolves once
   * Redis confirmed the subscription (at once without Redis); it never rejects.
   */
  async subscribe(topic: string, handler: InvalidationHandler): Promise<void> {
    let handlers = this.handlers.get(topic);
    if (!handlers) this.handlers.set(topic, (handlers = new Set()));
    handlers.add(handler);
    if (!this.redis || handlers.size > 1) return;
    try {
      await this.listener().subscribe(this.channel(topic));
    } catch (error) {
      // Only when the connection was closed before Redis answered (e.g. a short cli command).
      if (!this.closing) this.warn('subscribe', error);
    }
  }

  /**
   * Drops `key` of `topic` on this process at once and, through Redis, on every other. Call it
   * after the change has committed (a process that reads in between would cache the old state).
   * Never rejects: while Redis is away the others catch up within their cache's TTL.
   */
  async publish(topic: string, key: string): Promise<void> {
    this.deliver(topic, key);
    if (!this.redis) return;
    try {
      await this.redis.publish(this.channel(topic), JSON.stringify({ origin: this.origin, key }));
    } catch (error) {
      this.warn('publish', error);
    }
  }

  onApplicationShutdown(): void {
    this.closing = true;
    // Nothing to flush on a subscriber connection (a quit would wait for Redis while it is away).
    this.subscriber?.disconnect();
  }

  private channel(topic: string): string {
    return `${this.app.redisKeyPrefix}:invalidate:${topic}`;
  }

  /** A connection of its own: one in subscriber mode can run no other command. */
  private listener(): Redis {
    if (this.subscriber) return this.subscriber;
    // Unlike the shared client, a subscription waits for Redis rather than failing (ioredis
    // subscribes again by itself after a reconnect).
    const subscriber = this.redis!.duplicate({
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
    });
    subscriber.on('error', (error: Error) => this.warn('subscriber', error));
    subscriber.on('message', (channel: string, message: string) => this.receive(channel, message));
    subscriber.on('ready', () => {
      // Messages sent while this connection was not subscribed (before the first connect, during
      // an outage) are lost: once subscribed (this reply follows ioredis's own resubscription),
      // drop everything of every topic.
      const topics = [...this.handlers.keys()];
      subscriber.subscribe(...topics.map((t) => this.channel(t))).then(
        () => topics.forEach((topic) => this.deliver(topic, ALL_KEYS)),
        (error: unknown) => this.closing || this.warn('subscribe', error),
      );
    });
    return (this.subscriber = subscriber);
  }

  private receive(channel: string, message: string): void {
    const topic = channel.slice(this.channel('').length);
    try {
      const { origin, key } = JSON.parse(message) as { origin?: string; key?: unknown };
      if (origin !== this.origin && typeof key === 'string') this.deliver(topic, key);
    } catch {
      // Not one of ours (someone else published on the channel): nothing to drop.
    }
  }

  private deliver(topic: string, key: string): void {
    for (const handler of this.handlers.get(topic) ?? []) {
      try {
        handler(key);
      } catch (error) {
        logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      }
    }
  }

  /** At most one warning every 10 s, like the shared client's, while Redis is away. */
  private warn(what: string, error: unknown): void {
    if (Date.now() - this.lastWarning < 10_000) return;
    this.lastWarning = Date.now();
    const message = error instanceof Error ? error.message : String(error);
    logger.warn(`Cache invalidation (${what}) without Redis: ${message}`);
  }
}
