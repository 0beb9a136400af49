import type { GroupMetrics } from '@kinship/engagement';
import type { GroupMetricsDto } from '../dto/study-metrics.dto';
import { peopleCount } from './k-anonymity';

/** A figure computed from people counts stays only when every count it rests on is shown. */
const shown = (value: number | null, ...counts: (number | null)[]) =>
  counts.every((c) => c !== null) ? value : null;

/**
 * k-suppression of one group's metrics (shared/RESEARCH.md: "any aggregate cell counting fewer
 * than k people is suppressed"): people counts from 1 to k-1 become null, and so does anything
 * derived from them; a group with fewer than k participants shows nothing but its code, since
 * every total over so few people tells about each of them.
 */
export function suppressGroupMetrics(
  m: GroupMetrics,
  k: number,
  label: { groupCode: string; condition: string },
): GroupMetricsDto {
  const people = (n: number) => peopleCount(n, k);
  const members = people(m.members);
  const whole = members !== null && m.members > 0;
  const whenWhole = <T>(value: T): T | null => (whole ? value : null);
  const posters = people(m.posters);
  const lurkers = people(m.lurkers);
  const threadsAnswered = people(m.threadsAnswered);
  const newcomers = people(m.newcomers.count);
  const withFirst = people(m.newcomers.withFirstContribution);
  const replied = people(m.newcomers.replied);
  const perMember = (p: { median: number | null; mean: number | null }) => ({
    median: whenWhole(p.median),
    mean: whenWhole(p.mean),
  });
  return {
    ...label,
    participants: members,
    posters: whenWhole(posters),
    lurkers: whenWhole(lurkers),
    inactive: whenWhole(people(m.inactive)),
    lurkerShare: whenWhole(shown(m.lurkerShare, lurkers, posters)),
    superusers: whenWhole(people(m.superusers)),
    contributors: whenWhole(people(m.contributors)),
    contributions: {
      total: whenWhole(m.contributions.total),
      threads: whenWhole(m.contributions.threads),
      posts: whenWhole(m.contributions.posts),
      chatMessages: whenWhole(m.contributions.chatMessages),
      perMember: perMember(m.contributions.perMember),
    },
    reads: {
      total: whenWhole(m.reads.total),
      threadReads: whenWhole(m.reads.threadReads),
      chatReads: whenWhole(m.reads.chatReads),
      perMember: perMember(m.reads.perMember),
    },
    reactions: whenWhole(m.reactions),
    // Concentration figures over fewer than k posters single people out.
    gini: whenWhole(shown(m.gini, posters)),
    top1Share: whenWhole(shown(m.top1Share, posters)),
    top10Share: whenWhole(shown(m.top10Share, posters)),
    threadsStarted: whenWhole(m.threadsStarted),
    threadsAnswered: whenWhole(threadsAnswered),
    medianHoursToFirstReply: whenWhole(shown(m.medianHoursToFirstReply, threadsAnswered)),
    newcomers: {
      count: whenWhole(newcomers),
      withFirstContribution: whenWhole(withFirst),
      replied: whenWhole(replied),
      medianHoursToReply: whenWhole(shown(m.newcomers.medianHoursToReply, replied)),
    },
    delurked: whenWhole(people(m.delurked)),
    weeklyRetention: m.weeklyRetention.map((w) => {
      const eligible = people(w.eligible);
      const active = people(w.active);
      return {
        week: w.week,
        eligible: whenWhole(eligible),
        active: whenWhole(active),
        share: whenWhole(shown(w.share, eligible, active)),
      };
    }),
  };
}
