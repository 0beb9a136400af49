import {
  type Community,
  fieldsOf,
  newThread,
  startCommunity,
  UNKNOWN_ID,
} from './discussions-fixtures';
import { act, moderatedGroup, type ModeratedGroup, report, resolve } from './moderation-fixtures';

/** Who may act, on what, with which fields: everything else is a clear 4xx and changes nothing. */
describe('moderation: permissions and refusals', () => {
  let c: Community;
  let m: ModeratedGroup;

  beforeAll(async () => {
    c = await startCommunity();
    m = await moderatedGroup(c);
  });
  afterAll(async () => {
    await c?.t.close();
  });

  it('refuses what does not fit: durations, user reports, held items, unknown ids, roles', async () => {
    const { t, owner, member } = c;
    const { group, gm, author, reporter } = m;
    const thread = await newThread(t, group.id, author.accessToken);
    const filed = await report(t, reporter.accessToken, 'post', thread.firstPost.id, 'spam');
    const bad = async (body: Record<string, unknown>, token = gm.accessToken) =>
      resolve(t, token, filed.id, body);

    const noDuration = await bad({ action: 'mute', reason: 'x' });
    expect([noDuration.status, fieldsOf(noDuration.body)]).toEqual([400, ['durationMinutes']]);
    const extra = await bad({ action: 'warn', reason: 'x', durationMinutes: 5 });
    expect([extra.status, fieldsOf(extra.body)]).toEqual([400, ['durationMinutes']]);
    expect((await bad({ action: 'explode', reason: 'x' })).status).toBe(400);
    expect((await bad({ action: 'hide' })).status).toBe(400);
    expect((await bad({ action: 'hide', reason: '' })).status).toBe(400);
    expect((await bad({ action: 'mute', reason: 'x', durationMinutes: 0 })).status).toBe(400);
    expect((await bad({ action: 'hide', reason: 'x', extra: 1 })).status).toBe(400);

    // Who may: members get 403, moderators of another group 403, unknown 404, malformed 400.
    expect((await bad({ action: 'hide', reason: 'x' }, reporter.accessToken)).status).toBe(403);
    expect((await bad({ action: 'hide', reason: 'x' }, c.groupModerator.accessToken)).status).toBe(
      403,
    );
    expect((await t.get('/moderation/queue', { token: reporter.accessToken })).status).toBe(403);
    expect(
      (await resolve(t, gm.accessToken, UNKNOWN_ID, { action: 'hide', reason: 'x' })).status,
    ).toBe(404);
    expect((await resolve(t, gm.accessToken, 'nope', { action: 'hide', reason: 'x' })).status).toBe(
      400,
    );
    const anonymous = { action: 'hide', reason: 'x' };
    expect((await t.post(`/moderation/reports/${filed.id}/resolve`, anonymous)).status).toBe(401);

    // Moderators are not muted or banned, and nobody acts on themselves.
    const gmThread = await newThread(t, group.id, gm.accessToken);
    const ofGm = await report(t, reporter.accessToken, 'post', gmThread.firstPost.id, 'spam');
    const muteGm = await resolve(t, owner.accessToken, ofGm.id, {
      action: 'mute',
      reason: 'x',
      durationMinutes: 10,
    });
    expect([muteGm.status, muteGm.body.type]).toEqual([409, '/problems/target-is-moderator']);
    const self = await resolve(t, gm.accessToken, ofGm.id, { action: 'warn', reason: 'x' });
    expect([self.status, self.body.type]).toEqual([409, '/problems/own-account']);

    // A report of a user has no group: no hide, no mute; platform staff handle it.
    const ofUser = await report(t, reporter.accessToken, 'user', author.id, 'harassment');
    const hideUser = await resolve(t, owner.accessToken, ofUser.id, {
      action: 'hide',
      reason: 'x',
    });
    expect([hideUser.status, fieldsOf(hideUser.body)]).toEqual([400, ['action']]);
    const muteUser = await resolve(t, owner.accessToken, ofUser.id, {
      action: 'mute',
      reason: 'x',
      durationMinutes: 5,
    });
    expect([muteUser.status, fieldsOf(muteUser.body)]).toEqual([400, ['action']]);
    expect(
      (await resolve(t, gm.accessToken, ofUser.id, { action: 'warn', reason: 'x' })).status,
    ).toBe(403);
    const warnUser = await resolve(t, owner.accessToken, ofUser.id, {
      action: 'warn',
      reason: 'Mind your words',
    });
    expect(warnUser.body).toMatchObject({ userId: author.id, groupId: null });

    // Held content is approved or rejected, not resolved.
    const rule = await t.post(
      '/moderation/rules',
      {
        groupId: group.id,
        pattern: 'buy now',
        matchType: 'phrase',
        action: 'hold',
        category: 'spam',
      },
      { token: gm.accessToken },
    );
    expect(rule.status).toBe(201);
    await newThread(t, group.id, author.accessToken, { body: 'buy now' });
    const queue = await t.get(`/moderation/queue?groupId=${group.id}`, { token: gm.accessToken });
    const held = queue.body.items.find((i: any) => i.kind === 'held');
    const heldRes = await resolve(t, gm.accessToken, held.id, { action: 'hide', reason: 'x' });
    expect([heldRes.status, heldRes.body.type]).toEqual([409, '/problems/held-content-decision']);

    // Direct actions: a group for a member's mute; content's group is implied; unknown 404.
    const noGroup = await act(t, gm.accessToken, {
      action: 'mute',
      targetType: 'user',
      targetId: author.id,
      reason: 'x',
      durationMinutes: 5,
    });
    expect([noGroup.status, fieldsOf(noGroup.body)]).toEqual([400, ['groupId']]);
    const unknown = { action: 'hide', targetType: 'post', targetId: UNKNOWN_ID, reason: 'x' };
    expect((await act(t, gm.accessToken, unknown)).status).toBe(404);
    const elsewhere = await newThread(t, c.publicGroup.id, member.accessToken);
    const foreign = { ...unknown, targetId: elsewhere.firstPost.id };
    expect((await act(t, gm.accessToken, foreign)).status).toBe(403);
    const privateThread = await newThread(t, c.privateGroup.id, member.accessToken);
    const hiddenGroup = { ...unknown, targetId: privateThread.firstPost.id };
    expect((await act(t, gm.accessToken, hiddenGroup)).status).toBe(404);
  });
});
