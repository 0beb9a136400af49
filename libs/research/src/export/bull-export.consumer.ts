import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { appConfig } from '@kinship/common';
import { enqueueExport, exportQueueConnection } from './bull-export.queue';
import { ExportBuilder } from './export-builder';
import { ExportMaintenance } from './export-maintenance';
import { bullPrefix, EXPORT_QUEUE_NAME } from './export-queue';

/**
 * The worker's side of the export queue: builds exports one at a time, and on start and then
 * periodically re-enqueues interrupted or lost ones and deletes expired files.
 */
@Injectable()
export class BullExportConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BullExportConsumer.name);
  private connections: Redis[] = [];
  private worker?: Worker;
  private queue?: Queue;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly builder: ExportBuilder,
    private readonly maintenance: ExportMaintenance,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.app.redisUrl) {
      this.logger.warn('REDIS_URL is not set: the api builds exports itself, nothing to consume');
      return;
    }
    const prefix = bullPrefix(this.app.redisKeyPrefix);
    const workerConnection = exportQueueConnection(this.app.redisUrl, this.logger);
    const queueConnection = exportQueueConnection(this.app.redisUrl, this.logger);
    this.connections = [workerConnection, queueConnection];
    this.queue = new Queue(EXPORT_QUEUE_NAME, { connection: queueConnection, prefix });
    this.queue.on('error', (error) => this.logger.warn(`export queue: ${error.message}`));
    this.worker = new Worker<{ exportId: string }>(
      EXPORT_QUEUE_NAME,
      (job) => this.builder.build(job.data.exportId),
      { connection: workerConnection, prefix, concurrency: 1 },
    );
    this.worker.on('error', (error) => this.logger.warn(`export worker: ${error.message}`));
    void this.housekeeping();
    this.timer = setInterval(() => void this.housekeeping(), this.maintenance.sweepIntervalMs);
    this.timer.unref();
    this.logger.log('consuming research exports');
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    // Waits for the job in progress; a hard kill leaves it to the stalled-job recovery.
    await this.worker?.close().catch(() => undefined);
    await this.queue?.close().catch(() => undefined);
    for (const c of this.connections) await c.quit().catch(() => c.disconnect());
  }

  private async housekeeping(): Promise<void> {
    try {
      for (const id of await this.maintenance.recoverable(false)) {
        await enqueueExport(this.queue!, id, this.logger);
      }
      await this.maintenance.sweepExpired();
    } catch (error) {
      this.logger.warn(`export housekeeping failed: ${(error as Error).message}`);
    }
  }
}
