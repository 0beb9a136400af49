import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import {
  connectSocket,
  createGroup,
  emitAck,
  login,
  registerUser,
  type TestUser,
  waitFor,
} from '@kinship/testing';
import {
  activeMember,
  type Community,
  newThread,
  startCommunity,
  UNKNOWN_ID,
} from './discussions-fixtures';

/** Reports, the queue and its live notifications. */
describe('moderation: reports and the queue', () => {
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

  it('reports: 201, a second open one 409, an invisible target 404, validation 400', async () => {
    const { t, member, owner, privateGroup, publicGroup } = c;
    const reporter = await activeMember(t, owner, [publicGroup]);
    const thread = await newThread(t, publicGroup.id, member.accessToken);
    const body = {
      targetType: 'post',
      targetId: thread.firstPost.id,
      reason: 'harassment',
      details: 'Rude',
    };
    const first = await t.post('/reports', body, { token: reporter.accessToken });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      kind: 'report',
      status: 'open',
      reason: 'harassment',
      targetId: thread.firstPost.id,
    });
    expect((await t.post('/reports', body, { token: reporter.accessToken })).status).toBe(409);
    expect(
      (
        await t.post(
          '/reports',
          { ...body, targetType: 'thread', targetId: thread.id },
          { token: reporter.accessToken },
        )
      ).status,
    ).toBe(201);
    const hidden = await newThread(t, privateGroup.id, member.accessToken);
    for (const target of [
      { targetType: 'post', targetId: hidden.firstPost.id },
      { targetType: 'thread', targetId: hidden.id },
      { targetType: 'post', targetId: UNKNOWN_ID },
      { targetType: 'user', targetId: UNKNOWN_ID },
    ]) {
      expect(
        (await t.post('/reports', { ...target, reason: 'spam' }, { token: outsider.accessToken }))
          .status,
      ).toBe(404);
    }
    const msg = await t.post(
      `/groups/${privateGroup.id}/messages`,
      { clientMsgId: randomUUID(), body: 'hi' },
      { token: member.accessToken },
    );
    expect(
      (
        await t.post(
          '/reports',
          { targetType: 'message', targetId: msg.body.id, reason: 'spam' },
          { token: outsider.accessToken },
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await t.post(
          '/reports',
          { targetType: 'message', targetId: msg.body.id, reason: 'spam' },
          { token: c.groupModerator.accessToken },
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await t.post(
          '/reports',
          { targetType: 'user', targetId: member.id, reason: 'spam' },
          { token: reporter.accessToken },
        )
      ).status,
    ).toBe(201);
    expect(
      (await t.post('/reports', { ...body, reason: 'rude' }, { token: reporter.accessToken }))
        .status,
    ).toBe(400);
    expect(
      (
        await t.post(
          '/reports',
          { ...body, details: 'x'.repeat(2001) },
          { token: reporter.accessToken },
        )
      ).status,
    ).toBe(400);
    expect((await t.post('/reports', body)).status).toBe(401);
  });

  it('queue: most urgent first then oldest; moderators see only their groups; members 403; live moderation:report', async () => {
    const { t, admin, owner, member } = c;
    // A fresh group whose only moderator is `gm` (a member without platform role).
    const group = await createGroup(t, owner.accessToken);
    const gm = await activeMember(t, owner, [group]);
    await t.patch(
      `/groups/${group.id}/members/${gm.id}`,
      { role: 'moderator' },
      { token: owner.accessToken },
    );
    await login(t, gm.email, gm.password);
    const poster = await activeMember(t, owner, [group]);

    const socket = await connectSocket(t, gm.accessToken);
    sockets.push(socket);
    await emitAck(socket, 'chat:subscribe', { groupId: group.id });
    const live = waitFor(socket, 'moderation:report');

    const spamThread = await newThread(t, group.id, poster.accessToken, { body: 'Hello everyone' });
    await t
      .post(
        '/reports',
        { targetType: 'post', targetId: spamThread.firstPost.id, reason: 'spam' },
        { token: member.accessToken },
      )
      .then(async (r) => {
        if (r.status !== 201) {
          // member is not in this group; report as another member instead
          const other = await activeMember(t, owner, [group]);
          expect(
            (
              await t.post(
                '/reports',
                { targetType: 'post', targetId: spamThread.firstPost.id, reason: 'spam' },
                { token: other.accessToken },
              )
            ).status,
          ).toBe(201);
        }
      });
    expect(await live).toMatchObject({ kind: 'report', reason: 'spam', groupId: group.id });

    const heldLive = waitFor(socket, 'moderation:report');
    const chat = await t.post(
      `/groups/${group.id}/messages`,
      { clientMsgId: randomUUID(), body: 'My email is rosa@example.org' },
      { token: poster.accessToken },
    );
    expect(chat.body.status).toBe('pending_review');
    expect(await heldLive).toMatchObject({
      kind: 'held',
      reason: 'privacy',
      message: { id: chat.body.id },
    });
    const crisis = await newThread(t, group.id, poster.accessToken, {
      body: 'I want to end my life',
    });

    const queue = await t.get(`/moderation/queue?groupId=${group.id}`, { token: gm.accessToken });
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((i: any) => [i.kind, i.reason])).toEqual([
      ['held', 'self_harm'],
      ['held', 'privacy'],
      ['report', 'spam'],
    ]);
    const [crisisItem, privacyItem, spamItem] = queue.body.items;
    expect(crisisItem.target).toMatchObject({
      post: { id: crisis.firstPost.id, body: 'I want to end my life' },
      thread: { title: crisis.title },
      group: { id: group.id, name: expect.any(String) },
    });
    expect(privacyItem.target.message).toMatchObject({ id: chat.body.id });
    expect(privacyItem.reasons[0]).toMatchObject({ source: 'privacy', category: 'privacy' });
    expect(spamItem.reporter).toEqual({ id: expect.any(String), handle: expect.any(String) });

    // Without ?groupId= a group moderator sees only their own groups; staff see all; members 403.
    const mine = await t.get('/moderation/queue?limit=100', { token: gm.accessToken });
    expect(mine.body.items.every((i: any) => i.groupId === group.id)).toBe(true);
    expect((await t.get('/moderation/queue', { token: poster.accessToken })).status).toBe(403);
    expect(
      (await t.get(`/moderation/queue?groupId=${group.id}`, { token: poster.accessToken })).status,
    ).toBe(403);
    expect(
      (await t.get(`/moderation/queue?groupId=${c.publicGroup.id}`, { token: gm.accessToken }))
        .status,
    ).toBe(403);
    const all = await t.get('/moderation/queue?limit=100', { token: admin.accessToken });
    expect(all.status).toBe(200);
    expect(new Set(all.body.items.map((i: any) => i.groupId)).size).toBeGreaterThan(1);

    // Pages follow the same order.
    const page1 = await t.get(`/moderation/queue?groupId=${group.id}&limit=2`, {
      token: gm.accessToken,
    });
    const page2 = await t.get(
      `/moderation/queue?groupId=${group.id}&limit=2&cursor=${page1.body.nextCursor}`,
      { token: gm.accessToken },
    );
    expect([...page1.body.items, ...page2.body.items].map((i: any) => i.id)).toEqual(
      queue.body.items.map((i: any) => i.id),
    );

    // Resolved items leave the open queue.
    await t.post(`/moderation/held/${crisis.firstPost.id}/approve`, undefined, {
      token: gm.accessToken,
    });
    const after = await t.get(`/moderation/queue?groupId=${group.id}`, { token: gm.accessToken });
    expect(after.body.items.map((i: any) => i.reason)).toEqual(['privacy', 'spam']);
    const resolved = await t.get(`/moderation/queue?groupId=${group.id}&status=resolved`, {
      token: gm.accessToken,
    });
    expect(resolved.body.items.map((i: any) => i.reason)).toEqual(['self_harm']);
  });
});
