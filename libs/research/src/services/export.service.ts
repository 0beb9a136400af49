import { createReadStream, type ReadStream } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Clock, type Page, type PageQueryDto } from '@kinship/common';
import { inTransaction } from '@kinship/database';
import type { AuthUser } from '@kinship/identity';
import { AuditLog } from '@kinship/moderation';
import { DataSource } from 'typeorm';
import { ExportDto } from '../dto/export.dto';
import type { ExportEntity, ExportFormat } from '../entities/export.entity';
import { EXPORT_JOB_QUEUE, type ExportJobQueue } from '../export/export-queue';
import { ExportRepository } from '../repositories/export.repository';
import { StudyRepository } from '../repositories/study.repository';
import { researchConfig } from '../research.config';
import { ResearchErrorCode, ResearchException } from '../research.exception';
import { StudyAccess } from './study-access';

/** Exports of a study being built or readable at once. */
const MAX_ACTIVE_EXPORTS = 3;

const MEDIA_TYPES: Record<string, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export interface ExportFileStream {
  stream: ReadStream;
  name: string;
  type: string;
  bytes: number;
}

/**
 * Export requests and reads. Everything here is the study owner's alone: anyone else (admins and
 * the study's members included) gets a 404, whether or not the export exists.
 */
@Injectable()
export class ExportService {
  constructor(
    private readonly exportsRepo: ExportRepository,
    private readonly studies: StudyRepository,
    private readonly access: StudyAccess,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    @Inject(EXPORT_JOB_QUEUE) private readonly queue: ExportJobQueue,
    @Inject(researchConfig.KEY) private readonly config: ConfigType<typeof researchConfig>,
  ) {}

  async request(user: AuthUser, studyId: string, format: ExportFormat): Promise<ExportDto> {
    await this.access.owned(user, studyId);
    if ((await this.exportsRepo.countActive(studyId)) >= MAX_ACTIVE_EXPORTS) {
      throw new ResearchException(
        ResearchErrorCode.TooManyExports,
        `At most ${MAX_ACTIVE_EXPORTS} exports of a study are built at a time; wait for one to finish.`,
      );
    }
    // The durable record of the request (who asked for which study's data, when, in what form),
    // and its entry in the audit log, in one transaction.
    const job = await inTransaction(this.dataSource, async (manager) => {
      const created = await this.exportsRepo.insert(
        { studyId, requestedBy: user.id, format },
        manager,
      );
      await this.audit.append(manager, {
        actorId: user.id,
        action: 'research.export',
        targetType: 'research_export',
        targetId: created.id,
        groupId: null,
        details: { studyId, format },
      });
      return created;
    });
    await this.queue.enqueue(job.id);
    return ExportDto.of(job);
  }

  async list(user: AuthUser, studyId: string, query: PageQueryDto): Promise<Page<ExportDto>> {
    await this.access.owned(user, studyId);
    const page = await this.exportsRepo.listForStudy(studyId, query);
    return { items: page.items.map((e) => ExportDto.of(e)), nextCursor: page.nextCursor };
  }

  async get(user: AuthUser, exportId: string): Promise<ExportDto> {
    return ExportDto.of(await this.readable(user, exportId));
  }

  async file(user: AuthUser, exportId: string, name: string): Promise<ExportFileStream> {
    const job = await this.readable(user, exportId);
    if (job.status !== 'ready') {
      throw new ResearchException(ResearchErrorCode.ExportNotReady, `The export is ${job.status}.`);
    }
    const file = job.files.find((f) => f.name === name);
    if (!file) throw new ResearchException(ResearchErrorCode.ExportNotFound, 'No such file.');
    // Each download is in the audit log too: who took which file of which study's data.
    await inTransaction(this.dataSource, (manager) =>
      this.audit.append(manager, {
        actorId: user.id,
        action: 'research.export.download',
        targetType: 'research_export',
        targetId: job.id,
        groupId: null,
        details: { studyId: job.studyId, file: file.name },
      }),
    );
    const extension = name.slice(name.lastIndexOf('.') + 1);
    // The name comes from the record, never from the path: no traversal.
    const stream = createReadStream(join(this.config.exportDir, job.id, file.name));
    return { stream, name: file.name, type: MEDIA_TYPES[extension], bytes: file.bytes };
  }

  /** The export, if the caller owns its study and it has not expired. */
  private async readable(user: AuthUser, exportId: string): Promise<ExportEntity> {
    const job = await this.exportsRepo.findById(exportId);
    const study = job ? await this.studies.findById(job.studyId) : null;
    if (!job || !study || study.ownerId !== user.id) {
      throw new ResearchException(
        ResearchErrorCode.ExportNotFound,
        'The export does not exist or is not visible to you.',
      );
    }
    if (job.expiresAt && job.expiresAt.getTime() <= this.clock.now().getTime()) {
      throw new ResearchException(
        ResearchErrorCode.ExportExpired,
        `The export expired at ${job.expiresAt.toISOString()}; request a new one.`,
      );
    }
    return job;
  }
}
