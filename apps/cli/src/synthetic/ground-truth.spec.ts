import { type Community, DAY_MS, generateCommunity } from './community-model';
import { EventColumns, isContribution, K, NS } from './event-columns';
import { groundTruth } from './ground-truth';

const START = Date.UTC(2026, 0, 5);
const H = 3_600_000;
const ids = { user: (u: number) => `u${u}`, group: (g: number) => `g${g}` };

/** A hand-written log: [hour since start, user, kind, context thread or -1 for the chat]. */
function community(events: [number, number, number, number?][]): Community {
  const ev = new EventColumns(events.length);
  for (const [hour, user, kind, context] of events) {
    const i = ev.push(START + hour * H, user, 0, kind, NS.group, 0);
    if (isContribution(kind)) {
      ev.ctxNs[i] = context === -1 ? NS.group : NS.thread;
      ev.ctx[i] = context === -1 ? 0 : context!;
    }
  }
  const options = { members: 6, days: 60, groups: 1, seed: 1, start: START };
  return {
    options,
    end: START + 60 * DAY_MS,
    memberships: [],
    events: ev,
    threads: 0,
    posts: 0,
    messages: 0,
  };
}

describe('ground truth of a hand-written community', () => {
  const log = community([
    [0, 0, K.joined],
    [1, 1, K.joined],
    [2, 0, K.threadCreated, 7],
    [3, 1, K.threadRead],
    [5, 1, K.postCreated, 7], // first reply by someone else: 3 h after the thread
    [6, 0, K.postCreated, 7],
    [10, 2, K.joined],
    [11, 2, K.chatRead],
    [12, 3, K.joined],
    [13, 3, K.left], // member for an hour, no activity
    [24 * 30, 4, K.joined], // joins in the window
    [24 * 30 + 1, 4, K.chatMessage, -1],
    [24 * 30 + 3, 1, K.chatMessage, -1], // answers user 4 after 2 h
    [24 * 31, 2, K.threadRead],
    [24 * 40, 2, K.chatMessage, -1], // user 2: first contribution after 40 days of reading
    [24 * 41, 5, K.threadRead], // never joined: not a member
  ]);
  const query = {
    groups: [0],
    from: START + 1.5 * H, // mid-hour: user 0's thread is in, the joins of 0 and 1 are not
    to: START + 45 * DAY_MS,
    posterMinContributions: 1,
    participants: null,
  };
  const { groups, members } = groundTruth(log, query, ids);
  const m = (u: number) => members.find((x) => x.userId === `u${u}`)!;

  it('classifies the members whose membership overlapped the window', () => {
    expect(members.map((x) => x.userId).sort()).toEqual(['u0', 'u1', 'u2', 'u3', 'u4']);
    expect(m(0)).toMatchObject({ class: 'poster', threads: 1, posts: 1, newcomer: false });
    expect(m(1)).toMatchObject({ class: 'poster', posts: 1, chatMessages: 1, threadReads: 1 });
    expect(m(2)).toMatchObject({ class: 'poster', chatMessages: 1, reads: 2, delurked: true });
    expect(m(3)).toMatchObject({ class: 'inactive', leftAt: new Date(START + 13 * H) });
    expect(m(4)).toMatchObject({ class: 'poster', newcomer: true, hoursToFirstReply: 2 });
  });

  it('computes the group metrics', () => {
    expect(groups[0]).toMatchObject({
      members: 5,
      posters: 4,
      lurkers: 0,
      inactive: 1,
      contributions: { total: 6, threads: 1, posts: 2, chatMessages: 3 },
      threadsStarted: 1,
      threadsAnswered: 1,
      medianHoursToFirstReply: 3,
      // users 2, 3 and 4 joined after `from`; 2 and 4 contributed, 4 got a reply (2 did not)
      newcomers: { count: 3, withFirstContribution: 2, replied: 1, medianHoursToReply: 2 },
      delurked: 1,
    });
    // Contributions 2, 2, 1, 1, 0: one member of five makes the top 1% and the top 10%.
    expect(groups[0].top1Share).toBeCloseTo(2 / 6, 12);
    expect(groups[0].top10Share).toBeCloseTo(2 / 6, 12);
    expect(groups[0].superusers).toBe(2); // tied at the cut: both share the tier
    expect(groups[0].contributions.perMember).toEqual({ median: 1, mean: 6 / 5 });
  });

  it('counts weekly retention over newcomers in whole UTC days from the day of joining', () => {
    const weeks = groups[0].weeklyRetention;
    expect(weeks).toHaveLength(6); // 45 days from the midnight of `from`
    // Week 0: users 2, 3 (joined on day 0) and 4 (day 30); active: user 2 (chat read), user 4.
    expect(weeks[0]).toEqual({ week: 0, eligible: 3, active: 2, share: 2 / 3 });
    // Week 4 (days 28-34): users 2 and 3 eligible; user 2 read on day 31.
    expect(weeks[4]).toEqual({ week: 4, eligible: 2, active: 1, share: 0.5 });
  });
});

describe('the synthetic community', () => {
  const options = { members: 300, days: 30, groups: 2, seed: 42, start: START };

  it('is the same for the same seed and differs for another', () => {
    const a = generateCommunity(options).events;
    const b = generateCommunity(options).events;
    const c = generateCommunity({ ...options, seed: 43 }).events;
    expect(a.n).toBe(b.n);
    expect(Buffer.from(a.time.buffer).equals(Buffer.from(b.time.buffer))).toBe(true);
    expect(Buffer.from(a.kind.buffer).equals(Buffer.from(b.kind.buffer))).toBe(true);
    expect(a.n === c.n && Buffer.from(a.time.buffer).equals(Buffer.from(c.time.buffer))).toBe(
      false,
    );
  });

  it('writes times in order and unique, and replies only to threads created before them', () => {
    const ev = generateCommunity(options).events;
    const created = new Map<number, number>();
    for (let i = 0; i < ev.n; i++) {
      if (i > 0) expect(ev.time[i]).toBeGreaterThan(ev.time[i - 1]);
      if (ev.kind[i] === K.threadCreated) created.set(ev.ctx[i], ev.time[i]);
      if (ev.kind[i] === K.postCreated) expect(created.get(ev.ctx[i])).toBeLessThan(ev.time[i]);
    }
  });
});
