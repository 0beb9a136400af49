import { mkdir, rm, writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { appConfig, Clock } from '@kinship/common';
import { databaseConfig } from '@kinship/database';
import { EngagementEventReader } from '@kinship/engagement';
import { dayOf, studyWindow, type StudyWindow } from '../anonymise/study-window';
import type { ExportEntity, ExportFile } from '../entities/export.entity';
import type { StudyEntity } from '../entities/study.entity';
import { ExportRepository } from '../repositories/export.repository';
import { StudyRepository } from '../repositories/study.repository';
import { SurveyRepository } from '../repositories/survey.repository';
import { researchConfig } from '../research.config';
import { buildCodebook, DATA_FILES } from './codebook';
import { type Cell, DataFileWriter } from './data-file.writer';
import { ExportRoster, type Roster } from './export-roster';

/** A running job refreshes its heartbeat this often; one silent for STALE_MS was interrupted. */
export const HEARTBEAT_MS = 5_000;
export const STALE_MS = 30_000;
/** Starts of one export before it is given up as failed. */
export const MAX_ATTEMPTS = 3;
const SURVEY_BATCH = 500;

/** A reason shown to the owner as it is; any other error is logged and shown generically. */
export class ExportBuildError extends Error {}

/**
 * Builds one export: participants, events and surveys as streams from the database to files
 * under EXPORT_DIR/<exportId>/, then codebook.json. Runs in the worker (BullMQ) or in the api.
 */
@Injectable()
export class ExportBuilder {
  private readonly logger = new Logger(ExportBuilder.name);

  constructor(
    private readonly exportsRepo: ExportRepository,
    private readonly studies: StudyRepository,
    private readonly surveys: SurveyRepository,
    private readonly rosters: ExportRoster,
    private readonly reader: EngagementEventReader,
    private readonly clock: Clock,
    @Inject(researchConfig.KEY) private readonly config: ConfigType<typeof researchConfig>,
    @Inject(databaseConfig.KEY) private readonly db: ConfigType<typeof databaseConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  /** Builds the export if it is waiting (or was interrupted); otherwise does nothing. */
  async build(exportId: string): Promise<void> {
    const started = this.clock.now();
    const job = await this.exportsRepo.claim(
      exportId,
      started,
      new Date(started.getTime() - STALE_MS),
    );
    if (!job) return;
    const dir = join(this.config.exportDir, job.id);
    if (job.attempts > MAX_ATTEMPTS) {
      await this.fail(job, dir, new ExportBuildError('the build was interrupted too many times'));
      return;
    }
    const heartbeat = setInterval(() => {
      this.exportsRepo.heartbeat(job.id, this.clock.now()).catch(() => undefined);
    }, HEARTBEAT_MS);
    try {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const files = await this.writeFiles(job, dir);
      const now = this.clock.now();
      await this.exportsRepo.finish(job.id, files, now, this.expiry(now));
      this.logger.log(
        `export ${job.id} ready (${files.map((f) => `${f.name}: ${f.rows}`).join(', ')})`,
      );
    } catch (error) {
      await this.fail(job, dir, error);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async fail(job: ExportEntity, dir: string, error: unknown): Promise<void> {
    this.logger.error(`export ${job.id} failed: ${(error as Error).stack ?? String(error)}`);
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    const reason =
      error instanceof ExportBuildError
        ? error.message
        : 'the export could not be built; the server log has the details';
    const now = this.clock.now();
    await this.exportsRepo.fail(job.id, reason, now, this.expiry(now));
  }

  private expiry(from: Date): Date {
    return new Date(from.getTime() + this.config.exportTtlMs);
  }

  private async writeFiles(job: ExportEntity, dir: string): Promise<ExportFile[]> {
    const study = await this.studies.findById(job.studyId);
    const secret = await this.studies.secretOf(job.studyId);
    if (!study || !secret) throw new ExportBuildError('the study no longer exists');
    const now = this.clock.now();
    const window = studyWindow(study, now);
    const roster = await this.rosters.build(study, secret, window);

    const files: ExportFile[] = [];
    const participants = this.open(dir, 'participants', job);
    await participants.write(roster.rows);
    files.push(await participants.close());
    files.push(await this.writeEvents(dir, job, study, window, roster));
    const surveyList = await this.surveys.allOfStudy(study.id);
    files.push(await this.writeSurveys(dir, job, study, surveyList, roster));

    const codebook = buildCodebook({
      study,
      window,
      format: job.format,
      files,
      generatedAt: now,
      platformVersion: this.app.version,
      surveys: surveyList.map((s) => ({
        code: s.code,
        title: s.title,
        wave: s.wave,
        items: s.items,
      })),
      ...roster.summary,
    });
    const codebookPath = join(dir, 'codebook.json');
    await writeFile(codebookPath, `${JSON.stringify(codebook, null, 2)}\n`, { mode: 0o600 });
    files.push({ name: 'codebook.json', rows: 0, bytes: (await stat(codebookPath)).size });
    return files;
  }

  private open(
    dir: string,
    base: keyof typeof DATA_FILES,
    job: ExportEntity,
    plain = false,
  ): DataFileWriter {
    const columns = DATA_FILES[base].columns.map((c) => c.name);
    return DataFileWriter.open(dir, base, job.format, columns, { plain });
  }

  private async writeEvents(
    dir: string,
    job: ExportEntity,
    study: StudyEntity,
    window: StudyWindow,
    roster: Roster,
  ): Promise<ExportFile> {
    // Every cell is a pseudonym, a code, a kind or a number: the fast plain writer.
    const file = this.open(dir, 'events', job, true);
    try {
      const start = study.startsAt.getTime();
      const { pseudonyms, members, codes } = roster;
      const batches = this.reader.batches(
        {
          groupIds: [...codes.keys()],
          userIds: [...members.keys()],
          from: window.from,
          to: window.to,
          includeVisits: true,
        },
        // The embedded database serves one exchange at a time: short batches, not one COPY.
        { strategy: this.db.url ? 'copy' : 'keyset' },
      );
      for await (const batch of batches) {
        const out: Cell[][] = [];
        for (const e of batch) {
          const member = members.get(e.userId);
          if (!member) continue;
          const group = e.groupId === null ? '' : member.groups.get(e.groupId);
          if (group === undefined) continue; // a group whose row k-anonymity removed
          out.push([
            member.pseudonym,
            group,
            e.kind,
            dayOf(e.occurredAtMs, start),
            // No object when there is none or it is the group itself (joins, leaves, chat reads).
            e.objectId === null || e.objectId === e.groupId ? '' : pseudonyms.object(e.objectId),
          ]);
        }
        await file.write(out);
      }
      return await file.close();
    } catch (error) {
      file.destroy();
      throw error;
    }
  }

  private async writeSurveys(
    dir: string,
    job: ExportEntity,
    study: StudyEntity,
    surveyList: Awaited<ReturnType<SurveyRepository['allOfStudy']>>,
    roster: Roster,
  ): Promise<ExportFile> {
    const file = this.open(dir, 'surveys', job);
    try {
      const byId = new Map(surveyList.map((s) => [s.id, s]));
      let after: { submittedAt: Date; id: string } | null = null;
      for (;;) {
        const batch = await this.surveys.responsesAfter(study.id, after, SURVEY_BATCH);
        const out: Cell[][] = [];
        for (const r of batch) {
          const survey = byId.get(r.surveyId);
          const member = roster.members.get(r.userId);
          if (!survey || !member) continue;
          const participant = member.pseudonym;
          const day = dayOf(r.submittedAt.getTime(), study.startsAt.getTime());
          for (const item of survey.items) {
            out.push([participant, survey.code, survey.wave, item.key, r.answers[item.key], day]);
          }
        }
        await file.write(out);
        if (batch.length < SURVEY_BATCH) break;
        const last = batch[batch.length - 1];
        after = { submittedAt: last.submittedAt, id: last.id };
      }
      return await file.close();
    } catch (error) {
      file.destroy();
      throw error;
    }
  }
}
