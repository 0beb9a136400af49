import { mkdir, rm, writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { appConfig, Clock } from '@kinship/common';
import { MembershipDirectory } from '@kinship/communities';
import { databaseConfig } from '@kinship/database';
import { EngagementEventReader, EngagementMetrics, type MemberSummary } from '@kinship/engagement';
import { kAnonymise, peopleCount, type QiRow } from '../anonymise/k-anonymity';
import {
  CONSENT_PERIOD,
  daysBetween,
  GROUP_ROLE,
  JOIN_PERIOD,
  monthOf,
} from '../anonymise/periods';
import { Pseudonymiser } from '../anonymise/pseudonymiser';
import { dayOf, studyWindow, type StudyWindow } from '../anonymise/study-window';
import type { ExportEntity, ExportFile } from '../entities/export.entity';
import type { StudyEntity } from '../entities/study.entity';
import { ConsentRepository } from '../repositories/consent.repository';
import { ExportRepository } from '../repositories/export.repository';
import { StudyRepository } from '../repositories/study.repository';
import { SurveyRepository } from '../repositories/survey.repository';
import { researchConfig } from '../research.config';
import { buildCodebook, DATA_FILES } from './codebook';
import { type Cell, DataFileWriter } from './data-file.writer';

/** A running job refreshes its heartbeat this often; one silent for STALE_MS was interrupted. */
export const HEARTBEAT_MS = 5_000;
export const STALE_MS = 30_000;
/** Starts of one export before it is given up as failed. */
export const MAX_ATTEMPTS = 3;
const SURVEY_BATCH = 500;

/** A reason shown to the owner as it is; any other error is logged and shown generically. */
export class ExportBuildError extends Error {}

/** A participant kept in the export: their pseudonym and the codes of their kept groups. */
interface Member {
  pseudonym: string;
  groups: Map<string, string>;
}

/** Who is in the export, after consent and k-anonymity. */
interface Roster {
  pseudonyms: Pseudonymiser;
  /** By user id: one lookup per event row decides whether and how it is written. */
  members: Map<string, Member>;
  rows: Cell[][];
  codes: Map<string, string>;
  summary: Pick<
    Parameters<typeof buildCodebook>[0],
    'groups' | 'participants' | 'generalisations' | 'suppressedRows' | 'consentVersions'
  >;
}

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
    private readonly consents: ConsentRepository,
    private readonly surveys: SurveyRepository,
    private readonly directory: MembershipDirectory,
    private readonly reader: EngagementEventReader,
    private readonly metrics: EngagementMetrics,
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
    const roster = await this.roster(study, secret, window);

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

  /** Consented members, one row per study group they were active in, made k-anonymous. */
  private async roster(
    study: StudyEntity,
    secret: Buffer,
    window: { from: Date; to: Date },
  ): Promise<Roster> {
    const groups = study.groups ?? [];
    const codes = new Map(groups.map((g) => [g.groupId, g.code]));
    const conditions = new Map(groups.map((g) => [g.groupId, g.condition]));
    const consented = new Map((await this.consents.consented(study.id)).map((p) => [p.userId, p]));
    const memberships = (
      await this.directory.memberships([...codes.keys()], [...consented.keys()])
    ).filter(
      (m) =>
        m.joinedAt !== null &&
        (m.status === 'active' || m.status === 'left' || m.status === 'banned'),
    );
    // Each member's class, tier and counts per group, by engagement's definitions.
    const summaries = new Map(
      (
        await this.metrics.memberSummaries({
          groupIds: [...codes.keys()],
          from: window.from,
          to: window.to,
          posterMinContributions: study.posterMinContributions,
          participants: [...consented.keys()],
        })
      ).map((m) => [`${m.userId}:${m.groupId}`, m]),
    );
    const table: QiRow[] = memberships.map((m) => ({
      group: codes.get(m.groupId)!,
      role: m.role,
      join_period: monthOf(m.joinedAt!),
      consent_period: String(daysBetween(study.startsAt, consented.get(m.userId)!.grantedAt)),
    }));
    const result = kAnonymise(
      table,
      ['group'],
      [GROUP_ROLE, JOIN_PERIOD, CONSENT_PERIOD],
      study.kAnonymity,
    );
    const pseudonyms = new Pseudonymiser(secret);
    const members = new Map<string, Member>();
    const perGroup = new Map<string, number>();
    const rows: Cell[][] = result.kept.map(({ index, values }) => {
      const m = memberships[index];
      const member = members.get(m.userId) ?? {
        pseudonym: pseudonyms.participant(m.userId),
        groups: new Map<string, string>(),
      };
      member.groups.set(m.groupId, values.group);
      members.set(m.userId, member);
      perGroup.set(m.groupId, (perGroup.get(m.groupId) ?? 0) + 1);
      return [
        member.pseudonym,
        values.group,
        conditions.get(m.groupId) ?? '',
        values.role,
        values.join_period,
        values.consent_period,
        consented.get(m.userId)!.consentVersion,
        ...classCells(summaries.get(`${m.userId}:${m.groupId}`)),
      ];
    });
    // Ordered by group and pseudonym: the order reveals nothing (not when anyone joined).
    rows.sort(
      (a, b) =>
        String(a[1]).localeCompare(String(b[1])) || String(a[0]).localeCompare(String(b[0])),
    );
    const k = study.kAnonymity;
    const users = [...members.keys()];
    return {
      pseudonyms,
      members,
      rows,
      codes,
      summary: {
        participants: peopleCount(users.length, k),
        groups: groups.map((g) => ({
          code: g.code,
          condition: g.condition,
          participants: peopleCount(perGroup.get(g.groupId) ?? 0, k),
        })),
        generalisations: result.generalisations,
        suppressedRows: peopleCount(result.suppressed.length, k),
        consentVersions: [
          ...new Set([...users].map((u) => consented.get(u)!.consentVersion)),
        ].sort(),
      },
    };
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

/** The class columns of participants.csv; empty when the membership missed the window. */
function classCells(m: MemberSummary | undefined): Cell[] {
  if (!m) return [null, null, null, null, null, null, null, null, null];
  return [
    m.class,
    m.tier,
    m.contributions,
    m.threads,
    m.posts,
    m.chatMessages,
    m.reads,
    m.reactions,
    m.delurked ? 1 : 0,
  ];
}
