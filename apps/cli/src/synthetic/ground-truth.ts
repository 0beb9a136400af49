import type { GroupMetrics, MemberSummary } from '@kinship/engagement';
import { DAY_MS, type Community } from './community-model';
import { isContribution, isRead, K } from './event-columns';
import { gini, mean, median, tiers, topShare } from './truth-stats';

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * DAY_MS;
const DELURK_MS = 28 * DAY_MS;

export interface TruthQuery {
  groups: number[];
  from: number;
  to: number;
  posterMinContributions: number;
  /** User indices, or null for every member. */
  participants: Set<number> | null;
}

interface MemberFacts {
  periods: [number, number | null][];
  firstJoin: number;
  firstRead?: number;
  firstContribution?: number;
  counts: Int32Array;
  weeks?: Set<number>;
}

/**
 * The metrics of one query computed plainly from the generated rows: one pass over the events in
 * time order, then the definitions of libs/engagement/METRICS.md applied member by member. None of
 * the SQL under test is used.
 */
export function groundTruth(
  c: Community,
  q: TruthQuery,
  ids: { user: (u: number) => string; group: (g: number) => string },
): { groups: GroupMetrics[]; members: MemberSummary[] } {
  const ev = c.events;
  const N = c.options.members;
  const key = (g: number, u: number) => g * N + u;
  const facts = new Map<number, MemberFacts>();
  const byContext = new Map<number, number[]>();
  const wanted = new Set(q.groups);

  // Membership periods and firsts from the log (state machine: a join opens, a leave closes).
  for (let i = 0; i < ev.n && ev.time[i] < q.to; i++) {
    if (!wanted.has(ev.group[i])) continue;
    const k = key(ev.group[i], ev.user[i]);
    const kind = ev.kind[i];
    let f = facts.get(k);
    if (kind === K.joined || kind === K.left) {
      f ??= { periods: [], firstJoin: ev.time[i], counts: new Int32Array(6) };
      facts.set(k, f);
      const open = f.periods.length > 0 && f.periods[f.periods.length - 1][1] === null;
      if (kind === K.joined && !open) f.periods.push([ev.time[i], null]);
      if (kind === K.left && open) f.periods[f.periods.length - 1][1] = ev.time[i];
      continue;
    }
    if (!f) continue;
    if (isRead(kind) || isContribution(kind)) {
      // Weeks since the day of joining with activity (any time: eligible weeks end by `to`).
      const week = Math.floor((dayStart(ev.time[i]) - dayStart(f.firstJoin)) / WEEK_MS);
      (f.weeks ??= new Set()).add(week);
    }
    if (isRead(kind)) f.firstRead ??= ev.time[i];
    if (isContribution(kind)) {
      f.firstContribution ??= i;
      const ck = ev.ctxNs[i] * 1e9 + ev.ctx[i];
      const list = byContext.get(ck);
      if (list) list.push(i);
      else byContext.set(ck, [i]);
    }
  }
  // Counts in the window.
  for (let i = firstAtOrAfter(ev.time, ev.n, q.from); i < ev.n && ev.time[i] < q.to; i++) {
    const f = facts.get(key(ev.group[i], ev.user[i]));
    const kind = ev.kind[i];
    if (f && kind <= K.reaction) f.counts[kind]++;
  }
  const firstReplyAfter = (i: number): number | null => {
    const list = byContext.get(ev.ctxNs[i] * 1e9 + ev.ctx[i])!;
    for (let p = indexIn(list, i) + 1; p < list.length; p++) {
      if (ev.user[list[p]] !== ev.user[i]) return ev.time[list[p]];
    }
    return null;
  };

  const groups: GroupMetrics[] = [];
  const members: MemberSummary[] = [];
  for (const g of q.groups) {
    const rows: MemberSummary[] = [];
    const classified = new Set<number>();
    const isNewcomer = new Map<MemberSummary, MemberFacts>();
    for (let u = 0; u < N; u++) {
      const f = facts.get(key(g, u));
      if (!f || (q.participants && !q.participants.has(u))) continue;
      if (!f.periods.some(([a, b]) => a < q.to && (b === null || (b > q.from && b > a)))) continue;
      const [t, p, m, tr, cr, re] = [
        f.counts[K.threadCreated],
        f.counts[K.postCreated],
        f.counts[K.chatMessage],
        f.counts[K.threadRead],
        f.counts[K.chatRead],
        f.counts[K.reaction],
      ];
      const contributions = t + p + m;
      const first = f.firstContribution;
      const firstAt = first === undefined ? null : ev.time[first];
      const firstInWindow = firstAt !== null && firstAt >= q.from;
      const reply = firstInWindow ? firstReplyAfter(first!) : null;
      const last = f.periods[f.periods.length - 1];
      const row: MemberSummary = {
        userId: ids.user(u),
        groupId: ids.group(g),
        class:
          contributions >= q.posterMinContributions
            ? 'poster'
            : contributions + tr + cr > 0
              ? 'lurker'
              : 'inactive',
        tier: null,
        contributions,
        threads: t,
        posts: p,
        chatMessages: m,
        reads: tr + cr,
        threadReads: tr,
        chatReads: cr,
        reactions: re,
        joinedAt: new Date(f.firstJoin),
        leftAt: last[1] !== null && last[1] < q.to ? new Date(last[1]) : null,
        newcomer: f.firstJoin >= q.from,
        firstContributionAt: firstAt === null ? null : new Date(firstAt),
        hoursToFirstReply: reply === null ? null : (reply - firstAt!) / HOUR_MS,
        delurked:
          firstInWindow &&
          firstAt! - f.firstJoin >= DELURK_MS &&
          f.firstRead !== undefined &&
          f.firstRead < firstAt!,
      };
      rows.push(row);
      classified.add(u);
      if (row.newcomer) isNewcomer.set(row, f);
    }
    const counts = rows.map((r) => r.contributions);
    const tierOf = tiers(counts);
    for (const r of rows) if (r.class === 'poster') r.tier = tierOf(r.contributions);
    groups.push(groupMetrics(c, q, g, rows, classified, isNewcomer, firstReplyAfter, ids.group(g)));
    members.push(...rows);
  }
  return { groups, members };
}

function groupMetrics(
  c: Community,
  q: TruthQuery,
  g: number,
  rows: MemberSummary[],
  classified: Set<number>,
  newcomers: Map<MemberSummary, MemberFacts>,
  firstReplyAfter: (i: number) => number | null,
  groupId: string,
): GroupMetrics {
  const ev = c.events;
  const sum = (f: (r: MemberSummary) => number) => rows.reduce((s, r) => s + f(r), 0);
  const count = (f: (r: MemberSummary) => boolean) => rows.filter(f).length;
  const contributions = rows.map((r) => r.contributions);
  const reads = rows.map((r) => r.reads);
  const replyHours: number[] = [];
  let started = 0;
  for (let i = firstAtOrAfter(ev.time, ev.n, q.from); i < ev.n && ev.time[i] < q.to; i++) {
    if (ev.kind[i] !== K.threadCreated || ev.group[i] !== g) continue;
    if (!classified.has(ev.user[i])) continue;
    started++;
    const reply = firstReplyAfter(i);
    if (reply !== null && reply < q.to) replyHours.push((reply - ev.time[i]) / HOUR_MS);
  }
  const nc = [...newcomers.keys()];
  const firstIn = nc.filter((r) => r.firstContributionAt && +r.firstContributionAt >= q.from);
  const replied = firstIn.filter((r) => r.hoursToFirstReply !== null);
  const weeks = Math.floor((q.to - dayStart(q.from)) / WEEK_MS);
  const members = rows.length;
  return {
    groupId,
    members,
    posters: count((r) => r.class === 'poster'),
    lurkers: count((r) => r.class === 'lurker'),
    inactive: count((r) => r.class === 'inactive'),
    lurkerShare: members ? count((r) => r.class === 'lurker') / members : null,
    superusers: count((r) => r.tier === 'superuser'),
    contributors: count((r) => r.tier === 'contributor'),
    contributions: {
      total: sum((r) => r.contributions),
      threads: sum((r) => r.threads),
      posts: sum((r) => r.posts),
      chatMessages: sum((r) => r.chatMessages),
      perMember: { median: median(contributions), mean: mean(contributions) },
    },
    reads: {
      total: sum((r) => r.reads),
      threadReads: sum((r) => r.threadReads),
      chatReads: sum((r) => r.chatReads),
      perMember: { median: median(reads), mean: mean(reads) },
    },
    reactions: sum((r) => r.reactions),
    gini: gini(contributions),
    top1Share: topShare(contributions, 1),
    top10Share: topShare(contributions, 10),
    threadsStarted: started,
    threadsAnswered: replyHours.length,
    medianHoursToFirstReply: median(replyHours),
    newcomers: {
      count: nc.length,
      withFirstContribution: firstIn.length,
      replied: replied.length,
      medianHoursToReply: median(replied.map((r) => r.hoursToFirstReply!)),
    },
    delurked: count((r) => r.delurked),
    weeklyRetention: Array.from({ length: Math.max(0, weeks) }, (_, k) => {
      const eligible = nc.filter((r) => dayStart(+r.joinedAt) + (k + 1) * WEEK_MS <= q.to);
      const active = eligible.filter((r) => newcomers.get(r)!.weeks?.has(k)).length;
      return {
        week: k,
        eligible: eligible.length,
        active,
        share: eligible.length ? active / eligible.length : null,
      };
    }),
  };
}

const dayStart = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;

/** Position of event index i in an ascending list of event indices. */
function indexIn(list: number[], i: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < i) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function firstAtOrAfter(time: Float64Array, n: number, t: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (time[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
