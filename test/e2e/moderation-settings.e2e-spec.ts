import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { emitAck, waitFor } from '@kinship/testing';
import {
  activeMember,
  type Community,
  fieldsOf,
  listAll,
  newReply,
  newThread,
  startCommunity,
} from './discussions-fixtures';
import {
  auditEntries,
  moderatedGroup,
  type ModeratedGroup,
  report,
  resolve,
  sendMessage,
  subscribed,
} from './moderation-fixtures';

/** Group settings: slow mode, first-post approval, the report threshold. */
describe('moderation: group settings', () => {
  let c: Community;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    c = await startCommunity();
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await c?.t.close();
  });

  const settings = (m: ModeratedGroup, body: Record<string, unknown>, token = m.gm.accessToken) =>
    c.t.patch(`/groups/${m.group.id}/settings`, body, { token });

  it('settings: read by whoever sees the group, changed by its moderators, validated, audited', async () => {
    const { t } = c;
    const m = await moderatedGroup(c);
    const initial = await t.get(`/groups/${m.group.id}/settings`);
    expect(initial.body).toEqual({
      groupId: m.group.id,
      slowModeSeconds: 0,
      firstPostApproval: false,
      reportHideThreshold: 0,
    });
    const changed = await settings(m, { slowModeSeconds: 30, reportHideThreshold: 3 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ slowModeSeconds: 30, reportHideThreshold: 3 });
    expect(
      (await t.get(`/groups/${m.group.id}/settings`, { token: m.author.accessToken })).body,
    ).toMatchObject({ slowModeSeconds: 30, firstPostApproval: false, reportHideThreshold: 3 });
    const off = await settings(m, { reportHideThreshold: null });
    expect(off.body.reportHideThreshold).toBe(0);

    for (const [body, field] of [
      [{ slowModeSeconds: -1 }, 'slowModeSeconds'],
      [{ slowModeSeconds: 86_401 }, 'slowModeSeconds'],
      [{ slowModeSeconds: 1.5 }, 'slowModeSeconds'],
      [{ firstPostApproval: 'yes' }, 'firstPostApproval'],
      [{ reportHideThreshold: -2 }, 'reportHideThreshold'],
      [{}, 'slowModeSeconds'],
      [{ colour: 'red' }, 'colour'],
    ] as const) {
      const res = await settings(m, body);
      expect([res.status, fieldsOf(res.body)]).toEqual([400, [field]]);
    }
    expect((await settings(m, { slowModeSeconds: 5 }, m.author.accessToken)).status).toBe(403);
    expect((await settings(m, { slowModeSeconds: 5 }, c.groupModerator.accessToken)).status).toBe(
      403,
    );
    const privateSettings = await t.get(`/groups/${c.privateGroup.id}/settings`, {
      token: m.author.accessToken,
    });
    expect(privateSettings.status).toBe(404);

    const entries = await auditEntries(
      t,
      m.gm.accessToken,
      `groupId=${m.group.id}&action=settings.update`,
    );
    expect(entries.map((e) => e.details.changes)).toEqual([
      { reportHideThreshold: { from: 3, to: 0 } },
      { slowModeSeconds: { from: 0, to: 30 }, reportHideThreshold: { from: 0, to: 3 } },
    ]);
    expect(entries[0]).toMatchObject({ actor: { id: m.gm.id }, targetType: 'group' });
  });

  it('slow mode: a second post within the window is a 429 with Retry-After; chat has its own clock; moderators are exempt', async () => {
    const { t } = c;
    const m = await moderatedGroup(c);
    await settings(m, { slowModeSeconds: 3600 });
    const token = m.author.accessToken;

    const thread = await newThread(t, m.group.id, token);
    const reply = await t.post(`/threads/${thread.id}/posts`, { body: 'Me again' }, { token });
    expect(reply.status).toBe(429);
    expect(reply.body).toMatchObject({ type: '/problems/slow-mode', slowModeSeconds: 3600 });
    const retryAfter = Number(reply.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(
      (
        await t.post(
          `/groups/${m.group.id}/threads`,
          { title: 'Another one', body: 'x' },
          { token },
        )
      ).status,
    ).toBe(429);

    // Chat: one message per window as well, counted apart from posts.
    const clientMsgId = randomUUID();
    const first = await t.post(
      `/groups/${m.group.id}/messages`,
      { clientMsgId, body: 'Hello' },
      { token },
    );
    expect(first.status).toBe(201);
    const second = await t.post(
      `/groups/${m.group.id}/messages`,
      { clientMsgId: randomUUID(), body: 'Hello?' },
      { token },
    );
    expect([second.status, second.body.type]).toEqual([429, '/problems/slow-mode']);
    // The retry of a stored message is answered with it, not refused.
    const retry = await t.post(
      `/groups/${m.group.id}/messages`,
      { clientMsgId, body: 'Hello' },
      { token },
    );
    expect([retry.status, retry.body.id]).toEqual([200, first.body.id]);
    const socket = await subscribed(t, token, m.group.id);
    sockets.push(socket);
    const ack = await emitAck(socket, 'chat:send', {
      groupId: m.group.id,
      clientMsgId: randomUUID(),
      body: 'Socket hello',
    });
    expect(ack).toMatchObject({
      ok: false,
      error: { status: 429, retryAfterSeconds: expect.any(Number) },
    });

    // Moderators are not slowed down; other members have their own window.
    await newReply(t, thread.id, m.gm.accessToken);
    await newReply(t, thread.id, m.gm.accessToken);
    await newReply(t, thread.id, m.other.accessToken);
    // Off again: the member writes at once.
    await settings(m, { slowModeSeconds: 0 });
    await newReply(t, thread.id, token);
  });

  it("first-post approval: a new member's first post or message is held until a moderator approves one", async () => {
    const { t } = c;
    const m = await moderatedGroup(c);
    // Members who published before the setting are trusted.
    const veteran = await newThread(t, m.group.id, m.other.accessToken);
    await settings(m, { firstPostApproval: true });

    const newcomer = await activeMember(t, c.owner, [m.group]);
    const first = await t.post(
      `/groups/${m.group.id}/threads`,
      { title: 'Hello, I am new', body: 'Glad to be here' },
      { token: newcomer.accessToken },
    );
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: 'pending_review',
      screening: { action: 'hold', category: 'other' },
    });
    const chat = await sendMessage(t, m.group.id, newcomer.accessToken, 'Hi all');
    expect(chat.status).toBe('pending_review');
    const threads = async (token: string) =>
      (await listAll(t, `/groups/${m.group.id}/threads`, token)).map((x: any) => x.id);
    expect(await threads(m.author.accessToken)).not.toContain(first.body.id);
    expect((await newReply(t, veteran.id, m.other.accessToken)).status).toBe('published');

    const queue = await t.get(`/moderation/queue?groupId=${m.group.id}`, {
      token: m.gm.accessToken,
    });
    const item = queue.body.items.find((i: any) => i.targetId === first.body.firstPost.id);
    expect(item).toMatchObject({ kind: 'held', reasons: [{ source: 'first_post' }] });

    const approve = await t.post(`/moderation/held/${first.body.firstPost.id}/approve`, undefined, {
      token: m.gm.accessToken,
    });
    expect(approve.status).toBe(200);
    expect(await threads(m.author.accessToken)).toContain(first.body.id);
    // Trusted in the group from now on, in the forum and in chat.
    expect((await newReply(t, first.body.id, newcomer.accessToken)).status).toBe('published');
    expect((await sendMessage(t, m.group.id, newcomer.accessToken, 'Thanks!')).status).toBe(
      'published',
    );
  });

  it('report threshold: that many distinct reporters hide the content until a moderator decides; a dismissal shows it again', async () => {
    const { t } = c;
    const m = await moderatedGroup(c);
    await settings(m, { reportHideThreshold: 2 });
    const thread = await newThread(t, m.group.id, m.gm.accessToken);
    const reply = await newReply(t, thread.id, m.author.accessToken, 'Controversial opinion');
    const ids = async () =>
      (await listAll(t, `/threads/${thread.id}/posts`, m.other.accessToken)).map((p: any) => p.id);

    const r1 = await report(t, m.reporter.accessToken, 'post', reply.id, 'misinformation');
    expect(await ids()).toContain(reply.id);
    const r2 = await report(t, m.other.accessToken, 'post', reply.id, 'misinformation');
    expect(await ids()).not.toContain(reply.id);
    const auto = await auditEntries(t, m.gm.accessToken, `targetId=${reply.id}`);
    expect(auto[0]).toMatchObject({
      action: 'content.auto_hide',
      actor: null,
      details: { reporters: 2, threshold: 2 },
    });

    const dismissed = await resolve(t, m.gm.accessToken, r1.id, {
      action: 'dismiss',
      reason: 'A matter of opinion, not misinformation',
    });
    expect(dismissed.body).toMatchObject({ contentStatus: 'published' });
    expect(dismissed.body.closedReports.sort()).toEqual([r1.id, r2.id].sort());
    expect(await ids()).toContain(reply.id);

    // Chat messages too: hidden for the room with chat:removed.
    const listener = await subscribed(t, m.reporter.accessToken, m.group.id);
    sockets.push(listener);
    const message = await sendMessage(t, m.group.id, m.author.accessToken, 'Buy my course');
    await report(t, m.reporter.accessToken, 'message', message.id, 'spam');
    const removed = waitFor(listener, 'chat:removed');
    await report(t, m.other.accessToken, 'message', message.id, 'spam');
    expect(await removed).toEqual({ groupId: m.group.id, messageId: message.id });
    const history = await listAll(t, `/groups/${m.group.id}/messages`, m.reporter.accessToken);
    expect(history.map((x: any) => x.id)).not.toContain(message.id);
  });
});
