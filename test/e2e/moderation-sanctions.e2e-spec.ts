import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { collect, emitAck, waitFor } from '@kinship/testing';
import {
  activeMember,
  type Community,
  newReply,
  newThread,
  startCommunity,
} from './discussions-fixtures';
import {
  act,
  eventually,
  moderatedGroup,
  type ModeratedGroup,
  report,
  resolve,
  sendMessage,
  subscribed,
} from './moderation-fixtures';

/** Mutes and bans: every write path refuses them until they end; live sockets follow. */
describe('moderation: mute and ban enforcement', () => {
  let c: Community;
  let m: ModeratedGroup;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    c = await startCommunity();
    m = await moderatedGroup(c);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await c?.t.close();
  });

  /** Every write path of a member in a group, answered as {status, body} (socket acks mapped). */
  const writes = (groupId: string, token: string, own: { threadId: string; postId: string }) => ({
    thread: () =>
      c.t.post(`/groups/${groupId}/threads`, { title: 'Hello there', body: 'Hi' }, { token }),
    reply: () => c.t.post(`/threads/${own.threadId}/posts`, { body: 'Hi' }, { token }),
    edit: () => c.t.patch(`/posts/${own.postId}`, { body: 'Edited' }, { token }),
    reaction: () => c.t.post(`/posts/${own.postId}/reactions`, { kind: 'hug' }, { token }),
    chat: () =>
      c.t.post(`/groups/${groupId}/messages`, { clientMsgId: randomUUID(), body: 'Hi' }, { token }),
  });

  it('mute: threads, replies, edits, reactions and chat (REST and socket) are refused with the end time, until unmuted', async () => {
    const { t } = c;
    const { group, gm, reporter } = m;
    const muted = await activeMember(t, c.owner, [group, c.publicGroup]);
    const thread = await newThread(t, group.id, muted.accessToken, { body: 'You are all wrong' });
    const own = { threadId: thread.id, postId: thread.firstPost.id };
    const socket = await subscribed(t, muted.accessToken, group.id);
    sockets.push(socket);
    const told = waitFor(socket, 'moderation:notice');

    const filed = await report(t, reporter.accessToken, 'post', thread.firstPost.id, 'harassment');
    const res = await resolve(t, gm.accessToken, filed.id, {
      action: 'mute',
      reason: 'Cool down for a day',
      durationMinutes: 24 * 60,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userId: muted.id, mutedUntil: expect.any(String) });
    const until = res.body.mutedUntil;
    expect(Date.parse(until) - Date.now()).toBeGreaterThan(23 * 3600_000);
    expect(await told).toMatchObject({ kind: 'mute', until, reason: 'Cool down for a day' });

    for (const [path, write] of Object.entries(writes(group.id, muted.accessToken, own))) {
      const answer = await write();
      expect([path, answer.status, answer.body.type, answer.body.mutedUntil]).toEqual([
        path,
        403,
        '/problems/muted',
        until,
      ]);
    }
    const ack = await emitAck(socket, 'chat:send', {
      groupId: group.id,
      clientMsgId: randomUUID(),
      body: 'Hello?',
    });
    expect(ack).toMatchObject({ ok: false, error: { status: 403, mutedUntil: until } });

    // Reading goes on: posts, history, and the room's messages.
    expect((await t.get(`/threads/${thread.id}/posts`, { token: muted.accessToken })).status).toBe(
      200,
    );
    expect((await t.get(`/groups/${group.id}/messages`, { token: muted.accessToken })).status).toBe(
      200,
    );
    const heard = waitFor(socket, 'chat:message');
    const sent = await sendMessage(t, group.id, m.other.accessToken);
    expect((await heard).id).toBe(sent.id);
    // Per group: the other group is not affected.
    await newThread(t, c.publicGroup.id, muted.accessToken);
    // Moderators see the mute in the member list.
    const members = await t.get(`/groups/${group.id}/members?status=active&limit=100`, {
      token: gm.accessToken,
    });
    expect(members.body.items.find((x: any) => x.user.id === muted.id).mutedUntil).toBe(until);

    const lift = await act(t, gm.accessToken, {
      action: 'unmute',
      targetType: 'user',
      targetId: muted.id,
      groupId: group.id,
      reason: 'Apology received',
    });
    expect(lift.body).toMatchObject({ mutedUntil: null });
    expect((await writes(group.id, muted.accessToken, own).reply()).status).toBe(201);
    const again = await emitAck(socket, 'chat:send', {
      groupId: group.id,
      clientMsgId: randomUUID(),
      body: 'Sorry, everyone',
    });
    expect(again.ok).toBe(true);
  });

  it('a mute applies to sockets that subscribe while it runs, and only to members', async () => {
    const { t } = c;
    const { group, gm } = m;
    const member = await activeMember(t, c.owner, [group]);
    const mute = await act(t, gm.accessToken, {
      action: 'mute',
      targetType: 'user',
      targetId: member.id,
      groupId: group.id,
      reason: 'Spamming links',
      durationMinutes: 30,
    });
    expect(mute.status).toBe(201);
    const socket = await subscribed(t, member.accessToken, group.id);
    sockets.push(socket);
    const ack = await emitAck(socket, 'chat:send', {
      groupId: group.id,
      clientMsgId: randomUUID(),
      body: 'link',
    });
    expect(ack).toMatchObject({ ok: false, error: { status: 403 } });
    const outsider = await activeMember(t, c.owner, [c.publicGroup]);
    const notMember = await act(t, gm.accessToken, {
      action: 'mute',
      targetType: 'user',
      targetId: outsider.id,
      groupId: group.id,
      reason: 'x',
      durationMinutes: 5,
    });
    expect(notMember.status).toBe(404);
  });

  it('ban: writes refused, live sockets leave the rooms within 5 s, no rejoining; unban lets them ask again', async () => {
    const { t } = c;
    const { group, gm, reporter } = m;
    const banned = await activeMember(t, c.owner, [group]);
    const thread = await newThread(t, group.id, banned.accessToken);
    const reply = await newReply(t, thread.id, banned.accessToken);
    const own = { threadId: thread.id, postId: reply.id };
    const socket = await subscribed(t, banned.accessToken, group.id);
    sockets.push(socket);
    const notices = collect(socket, 'moderation:notice');
    const membersBefore = (await t.get(`/groups/${group.id}`)).body.memberCount;

    const filed = await report(t, reporter.accessToken, 'post', reply.id, 'harassment');
    const res = await resolve(t, gm.accessToken, filed.id, {
      action: 'ban',
      reason: 'Repeated harassment',
    });
    expect(res.status).toBe(200);
    // The socket is out of the group's room (typing needs the room) within 5 s.
    await eventually(
      async () => {
        const typing = await emitAck(socket, 'chat:typing', { groupId: group.id });
        return typing.ok === false && typing.error.status === 409;
      },
      5_000,
      'the banned socket leaving the room',
    );
    for (const [path, write] of Object.entries(writes(group.id, banned.accessToken, own))) {
      const answer = await write();
      expect([path, answer.status, answer.body.type]).toEqual([
        path,
        403,
        '/problems/banned-from-group',
      ]);
    }
    const send = await emitAck(socket, 'chat:send', {
      groupId: group.id,
      clientMsgId: randomUUID(),
      body: 'still here?',
    });
    expect(send).toMatchObject({ ok: false, error: { status: 403 } });
    expect((await emitAck(socket, 'chat:subscribe', { groupId: group.id })).ok).toBe(false);
    const rejoin = await t.post(`/groups/${group.id}/members`, undefined, {
      token: banned.accessToken,
    });
    expect([rejoin.status, rejoin.body.type]).toEqual([403, '/problems/banned-from-group']);
    const view = await t.get(`/groups/${group.id}`, { token: banned.accessToken });
    expect(view.body.membership).toMatchObject({ status: 'banned' });
    expect(view.body.memberCount).toBe(membersBefore - 1);
    await eventually(async () => notices.some((n) => n.kind === 'ban'), 5_000, 'the ban notice');
    expect(notices.find((n) => n.kind === 'ban')).toMatchObject({ reason: 'Repeated harassment' });

    // Banning again conflicts; unbanning lets the person ask to join again.
    const twice = { action: 'ban', targetType: 'user', targetId: banned.id, groupId: group.id };
    expect((await act(t, gm.accessToken, { ...twice, reason: 'x' })).status).toBe(409);
    const unban = await act(t, gm.accessToken, { ...twice, action: 'unban', reason: 'Appeal' });
    expect(unban.status).toBe(201);
    const join = await t.post(`/groups/${group.id}/members`, undefined, {
      token: banned.accessToken,
    });
    expect([join.status, join.body.status]).toEqual([201, 'active']);
    expect((await writes(group.id, banned.accessToken, own).chat()).status).toBe(201);
  });

  it('a ban can come before joining: the person cannot join', async () => {
    const { t } = c;
    const { group, gm } = m;
    const stranger = await activeMember(t, c.owner, [c.publicGroup]);
    const ban = await act(t, gm.accessToken, {
      action: 'ban',
      targetType: 'user',
      targetId: stranger.id,
      groupId: group.id,
      reason: 'Known spammer elsewhere',
    });
    expect(ban.status).toBe(201);
    const join = await t.post(`/groups/${group.id}/members`, undefined, {
      token: stranger.accessToken,
    });
    expect(join.status).toBe(403);
  });

  it('suspend (admins only): the member is signed out everywhere at once', async () => {
    const { t, admin } = c;
    const { group, gm, reporter } = m;
    const spammer = await activeMember(t, c.owner, [group]);
    const thread = await newThread(t, group.id, spammer.accessToken, { body: 'cheap pills' });
    const filed = await report(t, reporter.accessToken, 'post', thread.firstPost.id, 'spam');
    const byGm = await resolve(t, gm.accessToken, filed.id, { action: 'suspend', reason: 'Spam' });
    expect(byGm.status).toBe(403);
    expect(byGm.body.type).toBe('/problems/admin-required');

    const socket = await subscribed(t, spammer.accessToken, group.id);
    sockets.push(socket);
    const closed = waitFor(socket, 'disconnect');
    const res = await resolve(t, admin.accessToken, filed.id, {
      action: 'suspend',
      reason: 'Spam bot',
      durationMinutes: 60 * 24,
    });
    expect(res.status).toBe(200);
    expect(Date.parse(res.body.suspendedUntil)).toBeGreaterThan(Date.now());
    await closed;
    const me = await t.get('/me', { token: spammer.accessToken });
    expect(me.status).toBe(403);
    expect(me.body.type).toBe('/problems/account-suspended');
  });
});
