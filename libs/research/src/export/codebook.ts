import { READ_DEDUP_MINUTES } from '@kinship/engagement';
import type { Generalisation } from '../anonymise/k-anonymity';
import type { StudyWindow } from '../anonymise/study-window';
import type { ExportFile, ExportFormat } from '../entities/export.entity';

export interface ColumnSpec {
  name: string;
  type: 'string' | 'integer';
  description: string;
  values?: string[];
}

/**
 * The data files and their columns. participants is one row per participant and study group,
 * with engagement's classification of the member in that group over the study's window.
 */
export const DATA_FILES: Record<
  'participants' | 'events' | 'surveys',
  {
    description: string;
    columns: ColumnSpec[];
  }
> = {
  participants: {
    description:
      'One row per consented participant and study group they have been an active member of. ' +
      'Rows whose quasi-identifiers could not be made k-anonymous are left out (see suppressions); ' +
      'their events and survey answers are then left out too.',
    columns: [
      {
        name: 'participant',
        type: 'string',
        description:
          'Study pseudonym (HMAC-SHA-256 of the member, keyed with the study secret; 32 hex digits).',
      },
      { name: 'group', type: 'string', description: 'Study-local group code (G01, G02, …).' },
      {
        name: 'condition',
        type: 'string',
        description: "The group's condition label when the study was created.",
      },
      {
        name: 'role',
        type: 'string',
        values: ['member', 'moderator', '*'],
        description: 'Group role at export time (quasi-identifier; * = suppressed).',
      },
      {
        name: 'join_period',
        type: 'string',
        description:
          'When the membership last became active: YYYY-MM, or generalised to YYYY-Qn or YYYY, or * (quasi-identifier).',
      },
      {
        name: 'consent_period',
        type: 'string',
        description:
          "Days since the study's start on which the current consent was given, as a range a..b (a week or four weeks), or * (quasi-identifier).",
      },
      {
        name: 'consent_version',
        type: 'string',
        description: 'Version of the consent text the participant agreed to.',
      },
      {
        name: 'class',
        type: 'string',
        values: ['poster', 'lurker', 'inactive'],
        description:
          "Engagement class in this group over the study's window (see metrics.classification); empty when the membership did not overlap the window.",
      },
      {
        name: 'tier',
        type: 'string',
        values: ['superuser', 'contributor', 'other'],
        description:
          'For posters: top 1% by contributions, the next 9%, or the rest; empty otherwise.',
      },
      ...(
        [
          ['contributions', 'Threads started, replies and chat messages in the window.'],
          ['threads', 'Threads started in the window.'],
          ['posts', 'Replies posted in the window.'],
          ['chat_messages', 'Chat messages sent in the window.'],
          ['reads', 'Thread pages and chat read-cursor advances in the window (deduplicated).'],
          ['reactions', 'Reactions given in the window (not contributions).'],
        ] as const
      ).map(([name, description]) => ({ name, type: 'integer' as const, description })),
      {
        name: 'delurked',
        type: 'integer' as const,
        values: ['0', '1'],
        description:
          '1 when the first contribution fell in the window after at least 4 weeks of membership with reads only.',
      },
    ],
  },
  events: {
    description:
      "Engagement events of the participants in the study's groups (and their daily visits) within the window, in the order they happened.",
    columns: [
      { name: 'participant', type: 'string', description: 'Study pseudonym of the member.' },
      {
        name: 'group',
        type: 'string',
        description: 'Study-local group code; empty (null) for visit, which belongs to no group.',
      },
      {
        name: 'kind',
        type: 'string',
        values: [
          'thread_read',
          'chat_read',
          'thread_created',
          'post_created',
          'chat_message_sent',
          'reaction_given',
          'group_joined',
          'group_left',
          'visit',
        ],
        description: 'What happened (see metrics.eventKinds).',
      },
      {
        name: 'day',
        type: 'integer',
        description: "Whole days since the study's start (UTC); no clock time is exported.",
      },
      {
        name: 'object',
        type: 'string',
        description:
          'Study-local pseudonymous id of the thread, post, message or reaction target (HMAC of its id); empty (null) for group_joined, group_left and visit.',
      },
    ],
  },
  surveys: {
    description: 'One row per answered item: every response of a participant, item by item.',
    columns: [
      { name: 'participant', type: 'string', description: 'Study pseudonym of the member.' },
      {
        name: 'survey',
        type: 'string',
        description: 'Study-local survey code (S01, S02, …); see surveys in this codebook.',
      },
      {
        name: 'wave',
        type: 'string',
        values: ['baseline', 'follow_up', 'other'],
        description: 'Wave of the survey.',
      },
      {
        name: 'item',
        type: 'string',
        description: 'Key of the survey item (see surveys[].items in this codebook).',
      },
      {
        name: 'value',
        type: 'integer',
        description: "The answer, an integer within the item's range.",
      },
      {
        name: 'day',
        type: 'integer',
        description: "Whole days since the study's start on which the response was submitted.",
      },
    ],
  },
};

export interface CodebookInput {
  study: {
    title: string;
    startsAt: Date;
    endsAt: Date;
    kAnonymity: number;
    posterMinContributions: number;
  };
  window: StudyWindow;
  format: ExportFormat;
  files: ExportFile[];
  generatedAt: Date;
  platformVersion: string;
  consentVersions: string[];
  surveys: {
    code: string;
    title: string;
    wave: string;
    items: { key: string; text: string; min: number; max: number }[];
  }[];
  groups: { code: string; condition: string; participants: number | null }[];
  participants: number | null;
  generalisations: Generalisation[];
  suppressedRows: number | null;
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const daysFrom = (start: Date, at: Date) =>
  Math.floor((at.getTime() - start.getTime()) / 86_400_000);

/** codebook.json: what every file and column means, how it was made, what was held back. */
export function buildCodebook(input: CodebookInput): Record<string, unknown> {
  const { study, window } = input;
  return {
    codebook: 'Kinship research export',
    platform: { name: 'Kinship', version: input.platformVersion },
    study: { title: study.title, startDate: day(study.startsAt), endDate: day(study.endsAt) },
    generated: { date: day(input.generatedAt), day: daysFrom(study.startsAt, input.generatedAt) },
    format: input.format,
    files: [
      ...input.files.map((f) => {
        const base = f.name.replace(/\.(csv|ndjson)$/, '') as keyof typeof DATA_FILES;
        return { name: f.name, rows: f.rows, bytes: f.bytes, ...DATA_FILES[base] };
      }),
      { name: 'codebook.json', description: 'This file.', columns: [] },
    ],
    parameters: {
      window: {
        kind: window.kind,
        fromDay: daysFrom(study.startsAt, window.from),
        toDayExclusive: daysFrom(study.startsAt, window.to),
        description:
          window.kind === 'fixed'
            ? "The study's period [startsAt, endsAt)."
            : 'The 12 weeks (84 days) up to the earlier of the export and endsAt, within the study.',
      },
      kAnonymity: study.kAnonymity,
      posterMinContributions: study.posterMinContributions,
      readDedupMinutes: READ_DEDUP_MINUTES,
    },
    metrics: {
      eventKinds: {
        reads: [
          'thread_read (a page of a thread served to a member)',
          "chat_read (a member's chat read cursor advanced)",
        ],
        contributions: ['thread_created', 'post_created (a reply)', 'chat_message_sent'],
        other: [
          'reaction_given (not a contribution)',
          'group_joined',
          'group_left',
          'visit (first authenticated request of a UTC day)',
        ],
        note: `Repeated reads of the same object within ${READ_DEDUP_MINUTES} minutes count once. Content later hidden or deleted still counts as a contribution that was made.`,
      },
      classification: {
        poster: `at least ${study.posterMinContributions} contribution(s) in the window`,
        lurker: `fewer than ${study.posterMinContributions} contribution(s) and at least one read in the window`,
        inactive: 'no contribution and no read in the window',
        tiers:
          'superuser: top 1% of members by contributions; contributor: the next 9%; then everyone else',
        scope:
          'per member, per group, per window; only members whose membership overlapped the window',
        definitions: 'libs/engagement/METRICS.md of the platform version below',
        note: "participants.csv carries each member's class, tier and counts per group, computed with these definitions and parameters.",
      },
    },
    consent: {
      versions: input.consentVersions,
      rule: 'Only members whose consent stands when the export is built are included; withdrawn members are left out of every file.',
    },
    pseudonyms: {
      participant:
        'HMAC-SHA-256(study secret, user id), first 128 bits as hex: stable within the study, different in every other study.',
      object: 'HMAC-SHA-256(study secret, "object:" + id), first 128 bits as hex.',
      secret: 'Random 32 bytes per study, held by the server and never exported.',
    },
    excluded: [
      'email addresses',
      'handles',
      'user ids',
      'IP addresses',
      'device data',
      'free text (titles, posts, messages)',
      'clock times (days since the start only)',
      'raw object ids',
    ],
    suppressions: {
      k: study.kAnonymity,
      quasiIdentifiers: ['group', 'role', 'join_period', 'consent_period'],
      method:
        'Global generalisation then suppression (after Datafly): while more than k rows are in combinations of fewer than k participants, the quasi-identifier with the most distinct values is generalised one level; rows whose group has fewer than k participants, and the remaining rare rows, are removed. Every people count under k is null.',
      generalisations: input.generalisations.map((g) => ({ column: g.column, level: g.levelName })),
      suppressedRows: input.suppressedRows,
    },
    summary: { participants: input.participants, groups: input.groups },
    surveys: input.surveys,
  };
}
