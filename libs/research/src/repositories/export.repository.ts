import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, In, IsNull, LessThan, type Repository } from 'typeorm';
import { type Page, type PageQueryDto, paginate } from '@kinship/common';
import { ExportEntity, type ExportFile } from '../entities/export.entity';

/** The only place that reads or writes export records. */
@Injectable()
export class ExportRepository {
  constructor(@InjectRepository(ExportEntity) private readonly exports: Repository<ExportEntity>) {}

  insert(data: Partial<ExportEntity>, manager?: EntityManager): Promise<ExportEntity> {
    const repo = manager?.getRepository(ExportEntity) ?? this.exports;
    return repo.save(repo.create(data));
  }

  findById(id: string): Promise<ExportEntity | null> {
    return this.exports.findOneBy({ id });
  }

  /** Exports of a study that are waiting or being built. */
  countActive(studyId: string): Promise<number> {
    return this.exports.countBy({ studyId, status: In(['queued', 'running']) });
  }

  listForStudy(studyId: string, query: PageQueryDto): Promise<Page<ExportEntity>> {
    const qb = this.exports.createQueryBuilder('e').where('e.study_id = :studyId', { studyId });
    return paginate(
      qb,
      query,
      [
        {
          expression: 'e.created_at',
          cast: 'timestamptz',
          toCursor: (e: ExportEntity) => e.createdAt.toISOString(),
        },
        { expression: 'e.id', cast: 'uuid', toCursor: (e: ExportEntity) => e.id },
      ],
      'DESC',
    );
  }

  /**
   * Takes the job: a queued export, or a running one whose heartbeat stopped before
   * `staleBefore` (its process died). Atomic, so two workers never build the same export.
   */
  async claim(id: string, now: Date, staleBefore: Date): Promise<ExportEntity | null> {
    const result = await this.exports
      .createQueryBuilder()
      .update(ExportEntity)
      .set({ status: 'running', startedAt: now, heartbeatAt: now, attempts: () => 'attempts + 1' })
      .where(
        "id = :id AND (status = 'queued' OR (status = 'running' AND heartbeat_at < :staleBefore))",
        { id, staleBefore },
      )
      .execute();
    return result.affected ? this.findById(id) : null;
  }

  async heartbeat(id: string, now: Date): Promise<void> {
    await this.exports.update({ id, status: 'running' }, { heartbeatAt: now });
  }

  async finish(id: string, files: ExportFile[], now: Date, expiresAt: Date): Promise<void> {
    await this.exports.update(
      { id },
      { status: 'ready', files, error: null, finishedAt: now, expiresAt },
    );
  }

  async fail(id: string, error: string, now: Date, expiresAt: Date): Promise<void> {
    await this.exports.update(
      { id },
      { status: 'failed', files: [], error: error.slice(0, 500), finishedAt: now, expiresAt },
    );
  }

  /** Running exports whose heartbeat stopped before `staleBefore`. */
  stale(staleBefore: Date): Promise<ExportEntity[]> {
    return this.exports.findBy({ status: 'running', heartbeatAt: LessThan(staleBefore) });
  }

  /** Puts an interrupted export back in the queue. */
  async requeue(id: string, staleBefore: Date): Promise<boolean> {
    const result = await this.exports
      .createQueryBuilder()
      .update(ExportEntity)
      .set({ status: 'queued' })
      .where("id = :id AND status = 'running' AND heartbeat_at < :staleBefore", {
        id,
        staleBefore,
      })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Ids of exports waiting since before `before` (their queue entry may have been lost). */
  async queuedSince(before: Date): Promise<string[]> {
    const rows = await this.exports.find({
      select: { id: true },
      where: { status: 'queued', createdAt: LessThan(before) },
      order: { createdAt: 'ASC' },
    });
    return rows.map((r) => r.id);
  }

  /** Finished exports past their expiry whose files are still on disk. */
  expiredWithFiles(now: Date): Promise<ExportEntity[]> {
    return this.exports.find({
      where: { expiresAt: LessThan(now), filesDeletedAt: IsNull() },
      take: 500,
    });
  }

  async markFilesDeleted(id: string, now: Date): Promise<void> {
    await this.exports.update({ id }, { filesDeletedAt: now });
  }
}
