import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { appConfig } from '@kinship/common';
import { bullPrefix, EXPORT_QUEUE_NAME, type ExportJobQueue } from './export-queue';

/** How long a request waits for Redis before leaving the export to the worker's recovery. */
const ENQUEUE_TIMEOUT_MS = 3_000;

/**
 * With REDIS_URL the api hands export builds to the worker through a BullMQ queue. The job id is
 * the export's id, so the worker's recovery can enqueue it again without making a duplicate.
 */
@Injectable()
export class BullExportQueue implements ExportJobQueue, OnApplicationShutdown {
  private readonly logger = new Logger(BullExportQueue.name);
  private connection?: Redis;
  private queue?: Queue;

  constructor(@Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>) {}

  async enqueue(exportId: string): Promise<void> {
    await enqueueExport(this.open(), exportId, this.logger);
  }

  /** Connects on first use: an api without REDIS_URL never does. */
  private open(): Queue {
    if (!this.queue) {
      this.connection = exportQueueConnection(this.app.redisUrl!, this.logger);
      this.queue = new Queue(EXPORT_QUEUE_NAME, {
        connection: this.connection,
        prefix: bullPrefix(this.app.redisKeyPrefix),
      });
      this.queue.on('error', (error) => this.logger.warn(`export queue: ${error.message}`));
    }
    return this.queue;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue?.close().catch(() => undefined);
    await this.connection?.quit().catch(() => this.connection?.disconnect());
  }
}

/** Adds the build of an export; a Redis failure is logged (the exports table keeps the request). */
export async function enqueueExport(queue: Queue, exportId: string, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      queue.add(
        'build',
        { exportId },
        { jobId: exportId, attempts: 1, removeOnComplete: true, removeOnFail: true },
      ),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('Redis did not answer')), ENQUEUE_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    logger.warn(`export ${exportId} not queued yet (${(error as Error).message}); recovery will`);
  } finally {
    clearTimeout(timer);
  }
}

/** An ioredis connection for BullMQ (which needs maxRetriesPerRequest null), errors logged. */
export function exportQueueConnection(url: string, logger: Logger): Redis {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  let last = 0;
  connection.on('error', (error: Error) => {
    if (Date.now() - last > 10_000) {
      last = Date.now();
      logger.warn(`Redis unavailable for exports: ${error.message}`);
    }
  });
  return connection;
}
