import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { appConfig } from '@kinship/common';
import { ExportBuilder, STALE_MS } from './export-builder';
import { ExportMaintenance } from './export-maintenance';
import type { ExportJobQueue } from './export-queue';

/**
 * Without REDIS_URL the api builds exports itself, one at a time, in the background. Requests
 * are durable in the exports table: on start, waiting and interrupted exports are queued again.
 */
@Injectable()
export class InProcessExportRunner
  implements ExportJobQueue, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(InProcessExportRunner.name);
  private readonly pending: string[] = [];
  private running?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private recheck?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly builder: ExportBuilder,
    private readonly maintenance: ExportMaintenance,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  onApplicationBootstrap(): void {
    if (this.app.redisUrl) return; // the worker builds exports (BullExportQueue is in use)
    void this.housekeeping(true);
    // A job that was running when the previous process stopped looks alive until its heartbeat
    // goes stale: look again once it has.
    this.recheck = setTimeout(() => void this.housekeeping(false), STALE_MS + 1_000);
    this.recheck.unref();
    this.timer = setInterval(() => void this.housekeeping(false), this.maintenance.sweepIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.recheck);
    // The job in progress finishes; the ones waiting are picked up at the next start.
    await this.running;
  }

  enqueue(exportId: string): Promise<void> {
    if (!this.pending.includes(exportId)) this.pending.push(exportId);
    this.running ??= this.drain().finally(() => (this.running = undefined));
    return Promise.resolve();
  }

  private async drain(): Promise<void> {
    // Let the request that queued the export answer first.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length && !this.stopped) {
      const id = this.pending.shift()!;
      await this.builder.build(id).catch((error: Error) => {
        this.logger.error(`export ${id}: ${error.message}`);
      });
    }
  }

  private async housekeeping(everyQueued: boolean): Promise<void> {
    try {
      for (const id of await this.maintenance.recoverable(everyQueued)) await this.enqueue(id);
      await this.maintenance.sweepExpired();
    } catch (error) {
      this.logger.warn(`export housekeeping failed: ${(error as Error).message}`);
    }
  }
}
