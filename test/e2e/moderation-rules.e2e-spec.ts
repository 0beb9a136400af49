import type { Socket } from 'socket.io-client';
import { registerUser, type TestUser } from '@kinship/testing';
import { type Community, startCommunity } from './discussions-fixtures';

/** Screening rules: who manages them, and which patterns are refused. */
describe('moderation: rules', () => {
  let c: Community;
  let outsider: TestUser;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    c = await startCommunity();
    outsider = await registerUser(c.t);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await c?.t.close();
  });

  const rule = (groupId?: string, pattern = 'snake oil', matchType = 'phrase') => ({
    ...(groupId ? { groupId } : {}),
    pattern,
    matchType,
    action: 'hold',
    category: 'misinformation',
  });

  it('rules: group moderators manage their group; members 403; private outsiders 404; global is admin only', async () => {
    const { t, publicGroup, privateGroup, groupModerator, member, admin } = c;
    const created = await t.post('/moderation/rules', rule(publicGroup.id), {
      token: groupModerator.accessToken,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      groupId: publicGroup.id,
      pattern: 'snake oil',
      action: 'hold',
    });
    expect(
      (await t.post('/moderation/rules', rule(publicGroup.id), { token: member.accessToken }))
        .status,
    ).toBe(403);
    expect(
      (await t.post('/moderation/rules', rule(privateGroup.id), { token: outsider.accessToken }))
        .status,
    ).toBe(404);
    expect(
      (await t.get(`/moderation/rules?groupId=${privateGroup.id}`, { token: outsider.accessToken }))
        .status,
    ).toBe(404);
    expect(
      (await t.get(`/moderation/rules?groupId=${publicGroup.id}`, { token: member.accessToken }))
        .status,
    ).toBe(403);
    const list = await t.get(`/moderation/rules?groupId=${publicGroup.id}`, {
      token: groupModerator.accessToken,
    });
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      items: [expect.objectContaining({ id: created.body.id })],
      nextCursor: null,
    });
    expect(
      (await t.post('/moderation/rules', rule(), { token: groupModerator.accessToken })).status,
    ).toBe(403);
    const global = await t.post('/moderation/rules', rule(undefined, 'fake pharmacy'), {
      token: admin.accessToken,
    });
    expect(global.status).toBe(201);
    expect(global.body.groupId).toBeNull();
    // A group's rules are unknown to those who do not moderate it (they cannot list them either).
    expect(
      (await t.delete(`/moderation/rules/${created.body.id}`, { token: member.accessToken }))
        .status,
    ).toBe(404);
    expect(
      (
        await t.delete(`/moderation/rules/${created.body.id}`, {
          token: groupModerator.accessToken,
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await t.delete(`/moderation/rules/${created.body.id}`, {
          token: groupModerator.accessToken,
        })
      ).status,
    ).toBe(404);
    expect(
      (await t.delete(`/moderation/rules/${global.body.id}`, { token: admin.accessToken })).status,
    ).toBe(204);
  });

  it('rules: catastrophic, invalid or malformed patterns are 400s naming the field', async () => {
    const token = c.groupModerator.accessToken;
    for (const pattern of ['(a+)+$', '(x|x)*y', '(a|ab)*c', '[unclosed', 'a'.repeat(201)]) {
      const res = await c.t.post('/moderation/rules', rule(c.publicGroup.id, pattern, 'regex'), {
        token,
      });
      expect([pattern, res.status]).toEqual([pattern, 400]);
      expect(res.body.errors.map((e: any) => e.field)).toContain('pattern');
    }
    for (const body of [
      { ...rule(c.publicGroup.id), action: 'ban' },
      { ...rule(c.publicGroup.id), category: 'rude' },
      { ...rule(c.publicGroup.id), matchType: 'glob' },
      { ...rule(c.publicGroup.id), groupId: 'nope' },
      rule(c.publicGroup.id, 'two words', 'word'),
    ]) {
      expect((await c.t.post('/moderation/rules', body, { token })).status).toBe(400);
    }
    const ok = await c.t.post('/moderation/rules', rule(c.publicGroup.id, 'buy\\s+now', 'regex'), {
      token,
    });
    expect(ok.status).toBe(201);
  });
});
