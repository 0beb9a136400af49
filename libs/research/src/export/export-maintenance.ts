import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Clock } from '@kinship/common';
import { ExportRepository } from '../repositories/export.repository';
import { researchConfig } from '../research.config';
import { STALE_MS } from './export-builder';

/** A queued export older than this is queued again, in case its queue entry was lost. */
const LOST_AFTER_MS = 60_000;

/**
 * Housekeeping of whichever process builds exports (the worker, or the api without Redis):
 * interrupted jobs go back to the queue, and expired exports lose their files.
 */
@Injectable()
export class ExportMaintenance {
  private readonly logger = new Logger(ExportMaintenance.name);

  constructor(
    private readonly exportsRepo: ExportRepository,
    private readonly clock: Clock,
    @Inject(researchConfig.KEY) private readonly config: ConfigType<typeof researchConfig>,
  ) {}

  /**
   * Ids to (re)enqueue: running exports whose process died (heartbeat silent), and queued ones
   * waiting longer than a minute. `everyQueued` takes every queued export (an in-process queue
   * starts empty).
   */
  async recoverable(everyQueued: boolean): Promise<string[]> {
    const now = this.clock.now();
    const staleBefore = new Date(now.getTime() - STALE_MS);
    const ids: string[] = [];
    for (const job of await this.exportsRepo.stale(staleBefore)) {
      if (await this.exportsRepo.requeue(job.id, staleBefore)) {
        this.logger.warn(`export ${job.id} was interrupted; queued again`);
        ids.push(job.id);
      }
    }
    const waitingSince = everyQueued ? now : new Date(now.getTime() - LOST_AFTER_MS);
    for (const id of await this.exportsRepo.queuedSince(waitingSince)) {
      if (!ids.includes(id)) ids.push(id);
    }
    return ids;
  }

  /** Deletes the files of expired exports; the records stay. */
  async sweepExpired(): Promise<number> {
    const now = this.clock.now();
    const expired = await this.exportsRepo.expiredWithFiles(now);
    for (const job of expired) {
      await rm(join(this.config.exportDir, job.id), { recursive: true, force: true });
      await this.exportsRepo.markFilesDeleted(job.id, now);
    }
    if (expired.length) this.logger.log(`deleted the files of ${expired.length} expired export(s)`);
    return expired.length;
  }

  get sweepIntervalMs(): number {
    return this.config.sweepIntervalMs;
  }
}
