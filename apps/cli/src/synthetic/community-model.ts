import { EventColumns, K, NS } from './event-columns';
import { Prng } from './prng';

export const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** shared/RESEARCH.md: repeated reads of one object by one member within 30 minutes count once. */
const READ_DEDUP_MS = 30 * MINUTE_MS;
/** Replies and reads go to one of the group's most recent threads. */
const RECENT_THREADS = 40;

export interface CommunityOptions {
  members: number;
  days: number;
  groups: number;
  seed: number;
  /** Epoch ms of the first day (UTC midnight). */
  start: number;
}

/**
 * Behaviour of a member in a group, in proportions seen in health communities: most read only,
 * about 1% write most posts, a quarter never come back, some start writing after weeks of reading.
 */
export type Behaviour = 'superuser' | 'regular' | 'occasional' | 'delurker' | 'lurker' | 'inactive';

interface Profile {
  /** Chance of a session on a day of membership. */
  activeDay: number;
  reads: (r: Prng) => number;
  contributions: (r: Prng) => number;
  /** Chances of a thread, a reply, else a chat message. */
  kinds: [number, number];
  reactions: (r: Prng) => number;
}

const PROFILES: Record<Exclude<Behaviour, 'delurker' | 'inactive'>, Profile> = {
  superuser: {
    activeDay: 0.8,
    reads: (r) => 1 + r.poisson(8),
    contributions: (r) => 1 + r.poisson(11),
    kinds: [0.06, 0.59],
    reactions: (r) => r.poisson(2),
  },
  regular: {
    activeDay: 0.3,
    reads: (r) => 1 + r.poisson(4),
    contributions: (r) => r.poisson(1.5),
    kinds: [0.15, 0.55],
    reactions: (r) => r.poisson(0.5),
  },
  occasional: {
    activeDay: 0.08,
    reads: (r) => 1 + r.poisson(3),
    contributions: (r) => (r.chance(0.3) ? 1 : 0),
    kinds: [0.2, 0.5],
    reactions: (r) => (r.chance(0.2) ? 1 : 0),
  },
  lurker: {
    activeDay: 0.15,
    reads: (r) => 1 + r.poisson(3),
    contributions: () => 0,
    kinds: [0, 0],
    reactions: (r) => (r.chance(0.03) ? 1 : 0),
  },
};

export interface Membership {
  user: number;
  group: number;
  behaviour: Behaviour;
  /** [joined, left or null] in epoch ms, as generated (the log's times may move by a few ms). */
  periods: [number, number | null][];
}

export interface Community {
  options: CommunityOptions;
  end: number;
  memberships: Membership[];
  /** Every event in time order, times unique: the database ids follow this order. */
  events: EventColumns;
  threads: number;
  posts: number;
  messages: number;
}

/** Generates the community: memberships, then each member's sessions, then reply targets. */
export function generateCommunity(options: CommunityOptions): Community {
  const end = options.start + options.days * DAY_MS;
  const memberships = generateMemberships(options);
  const raw = new EventColumns(Math.ceil(options.members * options.days * 0.5) + 1024);
  /** Per group: the threads' creation times and ids, in generation order (sorted below). */
  const threadsOf: { time: number; id: number }[][] = Array.from(
    { length: options.groups },
    () => [],
  );
  const ranges: [number, number][] = [];
  let threads = 0;
  let messages = 0;
  memberships.forEach((m, index) => {
    const r = new Prng(options.seed, 1_000 + index);
    const from = raw.n;
    const delurkAt = m.periods[0][0] + (7 + r.next() * 56) * DAY_MS;
    for (const [joined, left] of m.periods) {
      raw.push(joined, m.user, m.group, K.joined, NS.group, m.group);
      const until = Math.min(left ?? end, end);
      for (let day = Math.floor(joined / DAY_MS) * DAY_MS; day < until; day += DAY_MS) {
        const lo = Math.max(joined, day);
        const hi = Math.min(until, day + DAY_MS);
        const profile = profileAt(m.behaviour, lo, delurkAt);
        if (!profile || hi <= lo) continue;
        // A newcomer looks around on the day of joining.
        const firstDay = lo === joined && index % 10 < 7;
        if (!firstDay && !r.chance(profile.activeDay)) continue;
        const actions = sessionActions(r, profile);
        let t = lo + r.next() * (hi - lo) * 0.6;
        for (const kind of actions) {
          // Whole milliseconds: "created before" stays true once times are made unique.
          t = Math.floor(t + 20_000 + r.exponential(3 * MINUTE_MS));
          if (t >= hi) break;
          const i = raw.push(t, m.user, m.group, kind);
          if (kind === K.threadCreated) {
            threadsOf[m.group].push({ time: t, id: threads });
            raw.objNs[i] = NS.thread;
            raw.obj[i] = threads;
            raw.ctxNs[i] = NS.thread;
            raw.ctx[i] = threads++;
          } else if (kind === K.chatMessage) {
            raw.objNs[i] = NS.message;
            raw.obj[i] = messages++;
            raw.ctxNs[i] = NS.group;
            raw.ctx[i] = m.group;
          } else if (kind === K.chatRead) {
            raw.objNs[i] = NS.group;
            raw.obj[i] = m.group;
          }
        }
      }
      if (left !== null && left < end) raw.push(left, m.user, m.group, K.left, NS.group, m.group);
    }
    ranges.push([from, raw.n]);
  });
  const posts = assignTargets(raw, ranges, threadsOf, options.seed);
  return {
    options,
    end,
    memberships,
    events: raw.sortedUnique(options.start),
    threads,
    posts,
    messages,
  };
}

function generateMemberships(o: CommunityOptions): Membership[] {
  const r = new Prng(o.seed, 1);
  const end = o.start + o.days * DAY_MS;
  // Group sizes fall off like a Zipf law: a few large groups, several small ones.
  const weights = Array.from({ length: o.groups }, (_, g) => 1 / Math.pow(g + 1, 0.7));
  const total = weights.reduce((s, w) => s + w, 0);
  const pickGroup = () => {
    let x = r.next() * total;
    for (let g = 0; g < o.groups; g++) if ((x -= weights[g]) < 0) return g;
    return o.groups - 1;
  };
  const out: Membership[] = [];
  for (let user = 0; user < o.members; user++) {
    const groups = [pickGroup()];
    if (o.groups > 1 && r.chance(0.15)) {
      const second = pickGroup();
      if (second !== groups[0]) groups.push(second);
    }
    for (const group of groups) {
      const founding = r.chance(0.55);
      const joined = Math.floor(
        o.start + (founding ? r.next() * 0.1 : 0.1 + r.next() * 0.9) * o.days * DAY_MS,
      );
      const periods: [number, number | null][] = [[joined, null]];
      if (r.chance(0.12)) {
        const left = Math.floor(joined + 1 + r.exponential(30 * DAY_MS));
        if (left < end) {
          periods[0][1] = left;
          const back = Math.floor(left + 1 + r.exponential(10 * DAY_MS));
          if (r.chance(0.25) && back < end) periods.push([back, null]);
        }
      }
      out.push({ user, group, behaviour: behaviourOf(r.next()), periods });
    }
  }
  return out;
}

function behaviourOf(x: number): Behaviour {
  if (x < 0.012) return 'superuser';
  if (x < 0.082) return 'regular';
  if (x < 0.232) return 'occasional';
  if (x < 0.282) return 'delurker';
  if (x < 0.75) return 'lurker';
  return 'inactive';
}

function profileAt(b: Behaviour, t: number, delurkAt: number): Profile | null {
  if (b === 'inactive') return null;
  if (b === 'delurker') {
    return t < delurkAt
      ? PROFILES.lurker
      : { ...PROFILES.occasional, activeDay: 0.15, contributions: (r) => (r.chance(0.5) ? 1 : 0) };
  }
  return PROFILES[b];
}

/** A session's actions in a random order: reads, contributions, reactions. */
function sessionActions(r: Prng, p: Profile): number[] {
  const actions: number[] = [];
  for (let i = p.reads(r); i > 0; i--) actions.push(r.chance(0.8) ? K.threadRead : K.chatRead);
  for (let i = p.contributions(r); i > 0; i--) {
    const x = r.next();
    actions.push(
      x < p.kinds[0]
        ? K.threadCreated
        : x < p.kinds[0] + p.kinds[1]
          ? K.postCreated
          : K.chatMessage,
    );
  }
  for (let i = p.reactions(r); i > 0; i--) actions.push(K.reaction);
  for (let i = actions.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [actions[i], actions[j]] = [actions[j], actions[i]];
  }
  return actions;
}

/**
 * Replies, thread reads and reactions go to one of the group's recent threads created before them
 * (dropped when the group has none yet); repeated reads within 30 minutes are dropped, as the
 * recorder counts them once. Returns the number of replies.
 */
function assignTargets(
  ev: EventColumns,
  ranges: [number, number][],
  threadsOf: { time: number; id: number }[][],
  seed: number,
): number {
  for (const list of threadsOf) list.sort((a, b) => a.time - b.time);
  const r = new Prng(seed, 2);
  let posts = 0;
  for (const [from, to] of ranges) {
    const lastRead = new Map<number, number>();
    for (let i = from; i < to; i++) {
      const kind = ev.kind[i];
      if (kind === K.threadRead || kind === K.postCreated || kind === K.reaction) {
        const list = threadsOf[ev.group[i]];
        const before = lowerBound(list, ev.time[i]);
        if (before === 0) {
          ev.kind[i] = K.dropped;
          continue;
        }
        const thread = list[before - 1 - r.int(Math.min(RECENT_THREADS, before))].id;
        if (kind === K.postCreated) {
          ev.objNs[i] = NS.post;
          ev.obj[i] = posts++;
          ev.ctxNs[i] = NS.thread;
          ev.ctx[i] = thread;
        } else {
          ev.objNs[i] = NS.thread;
          ev.obj[i] = thread;
        }
      }
      if (ev.kind[i] === K.threadRead || ev.kind[i] === K.chatRead) {
        const key = ev.kind[i] === K.threadRead ? ev.obj[i] : -1 - ev.obj[i];
        const last = lastRead.get(key);
        if (last !== undefined && ev.time[i] - last < READ_DEDUP_MS) ev.kind[i] = K.dropped;
        else lastRead.set(key, ev.time[i]);
      }
    }
  }
  return posts;
}

/** Number of entries with time strictly before t. */
function lowerBound(list: { time: number }[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].time < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
