import { Injectable } from '@nestjs/common';
import { EngagementErrorCode, EngagementException } from '../engagement.exception';
import { windowDays } from './metrics-window';
import {
  EngagementMetricsRepository,
  type MetricsReadOptions,
} from './engagement-metrics.repository';
import type {
  ContributorTier,
  EngagementClass,
  GroupMetrics,
  MemberSummary,
  MetricsQuery,
} from './metrics.types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_GROUPS = 1_000;
/** Ten years: the retention weeks of a window are columns of the query. */
const MAX_WINDOW_DAYS = 3_660;

/**
 * Classification and group metrics of shared/RESEARCH.md over the participants given (research
 * passes a study's consented members). Exact, unsuppressed numbers; definitions in METRICS.md.
 */
@Injectable()
export class EngagementMetrics {
  constructor(private readonly repository: EngagementMetricsRepository) {}

  /** One entry per group, in the order of `q.groupIds`. */
  async groupMetrics(q: MetricsQuery, options?: MetricsReadOptions): Promise<GroupMetrics[]> {
    validate(q);
    const rows = await this.repository.groupRows(q, options);
    const weeks = windowDays(q.from, q.to).weeks;
    return rows.map((r) => toGroupMetrics(r, weeks));
  }

  /** One entry per classified (member, group), ordered by group and user id. */
  async memberSummaries(q: MetricsQuery, options?: MetricsReadOptions): Promise<MemberSummary[]> {
    validate(q);
    const rows = await this.repository.memberRows(q, options);
    return rows.map(toMemberSummary);
  }
}

function validate(q: MetricsQuery): void {
  const errors: { field: string; message: string }[] = [];
  if (!q.groupIds.length || q.groupIds.length > MAX_GROUPS) {
    errors.push({ field: 'groupIds', message: `must list 1 to ${MAX_GROUPS} groups` });
  } else if (!q.groupIds.every((id) => UUID.test(id))) {
    errors.push({ field: 'groupIds', message: 'must be UUIDs' });
  }
  const from = q.from?.getTime?.();
  const to = q.to?.getTime?.();
  if (!Number.isFinite(from)) errors.push({ field: 'from', message: 'must be a time' });
  if (!Number.isFinite(to)) errors.push({ field: 'to', message: 'must be a time' });
  else if (Number.isFinite(from) && to <= from) {
    errors.push({ field: 'to', message: 'must be after from' });
  } else if (Number.isFinite(from) && to - from > MAX_WINDOW_DAYS * 86_400_000) {
    errors.push({ field: 'to', message: `must be at most ${MAX_WINDOW_DAYS} days after from` });
  }
  if (!Number.isInteger(q.posterMinContributions) || q.posterMinContributions < 1) {
    errors.push({ field: 'posterMinContributions', message: 'must be an integer of at least 1' });
  }
  if (q.participants && !q.participants.every((id) => UUID.test(id))) {
    errors.push({ field: 'participants', message: 'must be user ids (UUIDs)' });
  }
  if (errors.length) {
    throw new EngagementException(
      EngagementErrorCode.InvalidMetricsQuery,
      errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      errors,
    );
  }
}

const int = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

function toGroupMetrics(r: Record<string, any>, weeks: number): GroupMetrics {
  const members = int(r.members);
  // A group without newcomers still lists every week, with nobody eligible.
  const eligible: number[] = r.retention_eligible ?? Array<number>(weeks).fill(0);
  const active: number[] = r.retention_active ?? [];
  return {
    groupId: r.id,
    members,
    posters: int(r.posters),
    lurkers: int(r.lurkers),
    inactive: int(r.inactive),
    lurkerShare: members ? int(r.lurkers) / members : null,
    superusers: int(r.superusers),
    contributors: int(r.contributors),
    contributions: {
      total: int(r.contributions),
      threads: int(r.threads),
      posts: int(r.posts),
      chatMessages: int(r.chat_messages),
      perMember: { median: num(r.contributions_median), mean: num(r.contributions_mean) },
    },
    reads: {
      total: int(r.reads),
      threadReads: int(r.thread_reads),
      chatReads: int(r.chat_reads),
      perMember: { median: num(r.reads_median), mean: num(r.reads_mean) },
    },
    reactions: int(r.reactions),
    gini: num(r.gini),
    top1Share: num(r.top1_share),
    top10Share: num(r.top10_share),
    threadsStarted: int(r.started),
    threadsAnswered: int(r.answered),
    medianHoursToFirstReply: num(r.reply_hours),
    newcomers: {
      count: int(r.newcomers),
      withFirstContribution: int(r.newcomers_contributing),
      replied: int(r.newcomers_replied),
      medianHoursToReply: num(r.newcomers_reply_hours),
    },
    delurked: int(r.delurked),
    weeklyRetention: eligible.map((n, week) => ({
      week,
      eligible: n,
      active: active[week] ?? 0,
      share: n ? (active[week] ?? 0) / n : null,
    })),
  };
}

function toMemberSummary(r: Record<string, any>): MemberSummary {
  return {
    userId: r.user_id,
    groupId: r.group_id,
    class: r.class as EngagementClass,
    tier: (r.tier ?? null) as ContributorTier | null,
    contributions: int(r.contributions),
    threads: int(r.threads),
    posts: int(r.posts),
    chatMessages: int(r.chat_messages),
    reads: int(r.reads),
    threadReads: int(r.thread_reads),
    chatReads: int(r.chat_reads),
    reactions: int(r.reactions),
    joinedAt: date(r.first_joined_at)!,
    leftAt: date(r.left_at),
    newcomer: r.newcomer === true,
    firstContributionAt: date(r.first_at),
    hoursToFirstReply: num(r.reply_hours),
    delurked: r.delurked === true,
  };
}
