import { randomUUID } from 'node:crypto';
import {
  createGroup,
  joinGroup,
  registerUser,
  sleep,
  type TestApp,
  type TestGroup,
  type TestUser,
  uniqueSuffix,
} from '@kinship/testing';
import { scaleReady, startTwoApiProcesses, type TwoApiProcesses } from './two-api-processes';

/**
 * A moderator's change on one api process applies on the others at once (the invalidation bus
 * through Redis), not when their 5 s caches of rules and settings run out. Needs DATABASE_URL and
 * REDIS_URL; leaves Redis running.
 */

/** Well before the caches' 5 s TTL: a change that waited for it cannot pass. */
const AT_ONCE_MS = 2_000;

(scaleReady() ? describe : describe.skip)('moderation changes across api processes', () => {
  let processes: TwoApiProcesses;
  let a: TestApp;
  let b: TestApp;
  let staff: TestUser;
  let moderator: TestUser;
  let member: TestUser;
  let group: TestGroup;

  beforeAll(async () => {
    processes = await startTwoApiProcesses();
    ({ a, b, admin: staff, moderator, group } = processes);
    member = await registerUser(b);
    await joinGroup(b, group.id, member.accessToken, member.id);
  });
  afterAll(() => processes?.close());

  /** The member's chat message on process B: its status (201 sent, 422 blocked, 429 slowed). */
  const sendOnB = async (body: string, groupId = group.id): Promise<number> => {
    const res = await b.post(
      `/groups/${groupId}/messages`,
      { clientMsgId: randomUUID(), body },
      { token: member.accessToken },
    );
    if (res.status === 422) expect(res.body.type).toBe('/problems/content-blocked');
    if (res.status === 429) expect(res.body.type).toBe('/problems/slow-mode');
    return res.status;
  };

  /** Sends on B every 50 ms until it answers `status`; how long that took, or fails. */
  const untilOnB = async (status: number, body: string, groupId = group.id): Promise<number> => {
    const started = Date.now();
    let last = 0;
    while (Date.now() - started < AT_ONCE_MS) {
      last = await sendOnB(body, groupId);
      if (last === status) return Date.now() - started;
      await sleep(50);
    }
    throw new Error(`B still answered ${last}, not ${status}, ${AT_ONCE_MS} ms after the change`);
  };

  const addRule = async (pattern: string, groupId?: string, token = moderator.accessToken) => {
    const res = await a.post(
      '/moderation/rules',
      {
        ...(groupId ? { groupId } : {}),
        pattern,
        matchType: 'phrase',
        action: 'block',
        category: 'misinformation',
      },
      { token },
    );
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  it('a group block rule added on A refuses the message on B at once; deleted, B accepts it at once', async () => {
    const pattern = `miracle cure ${uniqueSuffix()}`;
    const text = `Try this ${pattern} today`;
    // B has read (and cached) the group's rules: the text passes before the rule exists.
    expect(await sendOnB(text)).toBe(201);
    const ruleId = await addRule(pattern, group.id);
    const blockedAfter = await untilOnB(422, text);
    expect(blockedAfter).toBeLessThan(AT_ONCE_MS);

    // B's cache now holds the rule (read just now): deleting it on A frees the text at once.
    expect(await sendOnB(text)).toBe(422);
    const del = await a.delete(`/moderation/rules/${ruleId}`, { token: moderator.accessToken });
    expect(del.status).toBe(204);
    expect(await untilOnB(201, text)).toBeLessThan(AT_ONCE_MS);
  });

  it('a global block rule added on A (by an admin) refuses the message in the group on B at once', async () => {
    // A group of its own: B caches its rules with the first message below, not earlier.
    const other = await createGroup(a, moderator.accessToken);
    await joinGroup(b, other.id, member.accessToken, member.id);
    const pattern = `fake pharmacy ${uniqueSuffix()}`;
    const text = `Order at ${pattern}`;
    expect(await sendOnB(text, other.id)).toBe(201);
    // Unique words: the rule refuses nothing of any other suite sharing this database.
    const ruleId = await addRule(pattern, undefined, staff.accessToken);
    try {
      expect(await untilOnB(422, text, other.id)).toBeLessThan(AT_ONCE_MS);
    } finally {
      await a.delete(`/moderation/rules/${ruleId}`, { token: staff.accessToken });
    }
    expect(await untilOnB(201, text, other.id)).toBeLessThan(AT_ONCE_MS);
  });

  it('slow mode turned on through settings on A slows the member on B at once; off, at once too', async () => {
    const slowed = await createGroup(a, moderator.accessToken);
    await joinGroup(b, slowed.id, member.accessToken, member.id);
    // B has read (and cached) the group's settings: slow mode is off, messages pass one after another.
    expect(await sendOnB('Hello', slowed.id)).toBe(201);
    expect(await sendOnB('Hello again', slowed.id)).toBe(201);
    const settings = (body: Record<string, unknown>) =>
      a.patch(`/groups/${slowed.id}/settings`, body, { token: moderator.accessToken });
    expect((await settings({ slowModeSeconds: 3600 })).status).toBe(200);
    // The first message under slow mode takes the member's slot; the next one is refused.
    expect(await untilOnB(429, 'Anyone there?', slowed.id)).toBeLessThan(AT_ONCE_MS);

    expect((await settings({ slowModeSeconds: 0 })).status).toBe(200);
    expect(await untilOnB(201, 'Thanks for waiting', slowed.id)).toBeLessThan(AT_ONCE_MS);
  });
});
