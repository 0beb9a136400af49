import type { Socket } from 'socket.io-client';
import { connectSocket, emitAck, waitFor } from '@kinship/testing';
import {
  type Community,
  listAll,
  newReply,
  newThread,
  startCommunity,
} from './discussions-fixtures';
import {
  act,
  moderatedGroup,
  type ModeratedGroup,
  report,
  resolve,
  sendMessage,
  subscribed,
} from './moderation-fixtures';

/** Report → queue → action → effect, for posts, threads and chat; warnings; what is refused. */
describe('moderation: actions on reports', () => {
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

  const postIds = async (threadId: string, token?: string) =>
    (await listAll(c.t, `/threads/${threadId}/posts`, token)).map((p: any) => p.id);

  it('a reported reply: hide takes it out at once, restore brings it back, remove ends it', async () => {
    const { t } = c;
    const { group, gm, author, reporter, other } = m;
    const thread = await newThread(t, group.id, other.accessToken);
    const reply = await newReply(t, thread.id, author.accessToken, 'You are all fools');
    expect((await t.get(`/threads/${thread.id}`)).body.replyCount).toBe(1);

    const filed = await report(t, reporter.accessToken, 'post', reply.id, 'harassment');
    const queue = await t.get(`/moderation/queue?groupId=${group.id}`, { token: gm.accessToken });
    const item = queue.body.items.find((i: any) => i.id === filed.id);
    expect(item.target.post).toMatchObject({ id: reply.id, body: 'You are all fools' });

    const hidden = await resolve(t, gm.accessToken, filed.id, {
      action: 'hide',
      reason: 'Unkind to other members',
    });
    expect(hidden.status).toBe(200);
    expect(hidden.body).toMatchObject({
      action: 'hide',
      targetType: 'post',
      targetId: reply.id,
      groupId: group.id,
      contentStatus: 'hidden',
      closedReports: [filed.id],
      report: {
        id: filed.id,
        status: 'resolved',
        resolution: { action: 'hidden', reason: 'Unkind to other members', by: gm.id },
      },
      auditSeq: expect.any(String),
    });
    // Gone from every answer, for members, its author and anonymous readers alike.
    for (const token of [reporter.accessToken, author.accessToken, undefined]) {
      expect(await postIds(thread.id, token)).not.toContain(reply.id);
    }
    expect((await t.get(`/threads/${thread.id}`)).body.replyCount).toBe(0);
    expect((await t.get(`/posts/${reply.id}/edits`, { token: author.accessToken })).status).toBe(
      404,
    );
    expect(
      (
        await t.post(
          '/reports',
          { targetType: 'post', targetId: reply.id, reason: 'spam' },
          {
            token: other.accessToken,
          },
        )
      ).status,
    ).toBe(404);
    // The author is told why.
    const notices = await t.get('/me/notices', { token: author.accessToken });
    expect(notices.body.items[0]).toMatchObject({
      kind: 'content_hidden',
      targetType: 'post',
      targetId: reply.id,
      reason: 'Unkind to other members',
      group: { id: group.id },
    });
    // Resolving twice is a conflict; the queue has it as resolved.
    expect(
      (await resolve(t, gm.accessToken, filed.id, { action: 'dismiss', reason: 'x' })).status,
    ).toBe(409);
    const open = await t.get(`/moderation/queue?groupId=${group.id}`, { token: gm.accessToken });
    expect(open.body.items.map((i: any) => i.id)).not.toContain(filed.id);

    const restored = await act(t, gm.accessToken, {
      action: 'restore',
      targetType: 'post',
      targetId: reply.id,
      reason: 'On reflection, within the rules',
    });
    expect(restored.status).toBe(201);
    expect(restored.body.contentStatus).toBe('published');
    expect(await postIds(thread.id, reporter.accessToken)).toContain(reply.id);
    expect((await t.get(`/threads/${thread.id}`)).body.replyCount).toBe(1);
    const again = { action: 'restore', targetType: 'post', targetId: reply.id, reason: 'x' };
    expect((await act(t, gm.accessToken, again)).status).toBe(409);

    const second = await report(t, reporter.accessToken, 'post', reply.id, 'harassment');
    const third = await report(t, other.accessToken, 'post', reply.id, 'spam');
    const removed = await resolve(t, gm.accessToken, second.id, {
      action: 'remove',
      reason: 'Repeated insults',
    });
    expect(removed.body).toMatchObject({ contentStatus: 'removed' });
    // Removal settles the target: the other open report of it is closed with it.
    expect(removed.body.closedReports.sort()).toEqual([second.id, third.id].sort());
    expect(await postIds(thread.id, gm.accessToken)).not.toContain(reply.id);
    expect((await t.get(`/threads/${thread.id}`)).body.replyCount).toBe(0);
    expect((await act(t, gm.accessToken, again)).status).toBe(404);
  });

  it('a reported thread: hide takes the whole thread away from members, remove from everyone', async () => {
    const { t } = c;
    const { group, gm, author, reporter } = m;
    const thread = await newThread(t, group.id, author.accessToken, { title: 'Miracle cure' });
    await newReply(t, thread.id, reporter.accessToken);
    const filed = await report(t, reporter.accessToken, 'thread', thread.id, 'misinformation');
    const hide = await resolve(t, gm.accessToken, filed.id, { action: 'hide', reason: 'Unsafe' });
    expect(hide.body).toMatchObject({ targetType: 'thread', contentStatus: 'hidden' });

    const threads = async (token?: string) =>
      (await listAll(t, `/groups/${group.id}/threads`, token)).map((x: any) => x.id);
    expect(await threads(reporter.accessToken)).not.toContain(thread.id);
    expect(await threads()).not.toContain(thread.id);
    expect((await t.get(`/threads/${thread.id}`, { token: reporter.accessToken })).status).toBe(
      404,
    );
    expect((await t.get(`/threads/${thread.id}/posts`, { token: author.accessToken })).status).toBe(
      404,
    );
    expect(
      (await t.post(`/threads/${thread.id}/posts`, { body: 'hi' }, { token: reporter.accessToken }))
        .status,
    ).toBe(404);
    // Moderators still see it (to restore it).
    expect((await t.get(`/threads/${thread.id}`, { token: gm.accessToken })).status).toBe(200);

    const removed = await act(t, gm.accessToken, {
      action: 'remove',
      targetType: 'thread',
      targetId: thread.id,
      reason: 'Dangerous advice',
    });
    expect(removed.body.contentStatus).toBe('removed');
    expect((await t.get(`/threads/${thread.id}`, { token: gm.accessToken })).status).toBe(404);
    expect(await threads(gm.accessToken)).not.toContain(thread.id);

    // Dismissing leaves content as it is and closes every open report of it.
    const fine = await newThread(t, group.id, author.accessToken);
    const r1 = await report(t, reporter.accessToken, 'thread', fine.id, 'spam');
    const r2 = await report(t, m.other.accessToken, 'thread', fine.id, 'other');
    const dismissed = await resolve(t, gm.accessToken, r1.id, {
      action: 'dismiss',
      reason: 'Nothing wrong here',
    });
    expect(dismissed.body.closedReports.sort()).toEqual([r1.id, r2.id].sort());
    expect(await threads(reporter.accessToken)).toContain(fine.id);

    // Content its author deleted since: the report can still be dismissed, not acted on.
    const regretted = await newThread(t, group.id, author.accessToken);
    const r3 = await report(t, reporter.accessToken, 'thread', regretted.id, 'spam');
    expect(
      (await t.delete(`/posts/${regretted.firstPost.id}`, { token: author.accessToken })).status,
    ).toBe(204);
    expect((await resolve(t, gm.accessToken, r3.id, { action: 'hide', reason: 'x' })).status).toBe(
      404,
    );
    const gone = await resolve(t, gm.accessToken, r3.id, { action: 'dismiss', reason: 'Deleted' });
    expect([gone.status, gone.body.closedReports]).toEqual([200, [r3.id]]);
  });

  it('a reported chat message: hide sends chat:removed and leaves history; restore sends it again', async () => {
    const { t } = c;
    const { group, gm, author, reporter } = m;
    const listener = await subscribed(t, reporter.accessToken, group.id);
    sockets.push(listener);
    const message = await sendMessage(t, group.id, author.accessToken, 'Nobody wants you here');
    const filed = await report(t, reporter.accessToken, 'message', message.id, 'harassment');

    const removedLive = waitFor(listener, 'chat:removed');
    const hide = await resolve(t, gm.accessToken, filed.id, { action: 'hide', reason: 'Hostile' });
    expect(hide.body.contentStatus).toBe('hidden');
    expect(await removedLive).toEqual({ groupId: group.id, messageId: message.id });
    const history = async (token: string) =>
      (await listAll(t, `/groups/${group.id}/messages`, token)).map((x: any) => x.id);
    expect(await history(reporter.accessToken)).not.toContain(message.id);
    expect(await history(author.accessToken)).not.toContain(message.id);
    const read = await emitAck(listener, 'chat:read', { groupId: group.id, messageId: message.id });
    expect(read.ok).toBe(false);

    const back = waitFor(listener, 'chat:message');
    const restore = {
      action: 'restore',
      targetType: 'message',
      targetId: message.id,
      reason: 'ok',
    };
    expect((await act(t, gm.accessToken, restore)).status).toBe(201);
    expect(await back).toMatchObject({ id: message.id, body: 'Nobody wants you here' });
    expect(await history(reporter.accessToken)).toContain(message.id);

    const gone = waitFor(listener, 'chat:removed');
    const remove = { ...restore, action: 'remove', reason: 'On second thought: hostile' };
    expect((await act(t, gm.accessToken, remove)).body.contentStatus).toBe('removed');
    expect(await gone).toEqual({ groupId: group.id, messageId: message.id });
    expect(await history(gm.accessToken)).not.toContain(message.id);
  });

  it('warn: the member is told on their socket (moderation:warning) and in GET /me/notices', async () => {
    const { t } = c;
    const { group, gm, author, reporter, other } = m;
    const thread = await newThread(t, group.id, author.accessToken, { body: 'Borderline joke' });
    const own = await connectSocket(t, author.accessToken);
    sockets.push(own);
    const warned = waitFor(own, 'moderation:warning');
    const r1 = await report(t, reporter.accessToken, 'post', thread.firstPost.id, 'harassment');
    const r2 = await report(t, other.accessToken, 'post', thread.firstPost.id, 'other');
    const res = await resolve(t, gm.accessToken, r1.id, {
      action: 'warn',
      reason: 'Please keep jokes kind',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userId: author.id, closedReports: [r1.id] });
    const notice = await warned;
    expect(notice).toMatchObject({
      kind: 'warning',
      reason: 'Please keep jokes kind',
      group: { id: group.id, name: expect.any(String) },
      targetType: 'post',
      targetId: thread.firstPost.id,
    });
    const list = await t.get('/me/notices', { token: author.accessToken });
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toEqual(notice);
    expect((await t.get('/me/notices', { token: reporter.accessToken })).body.items).toEqual([]);
    expect((await t.get('/me/notices')).status).toBe(401);
    // A warning does not settle the content: the other report stays open, the post stays up.
    const queue = await t.get(`/moderation/queue?groupId=${group.id}`, { token: gm.accessToken });
    expect(queue.body.items.map((i: any) => i.id)).toContain(r2.id);
    expect((await t.get(`/threads/${thread.id}`, { token: other.accessToken })).status).toBe(200);
  });

  it('a held reply neither counts nor moves its thread until approved', async () => {
    const { t } = c;
    const { group, gm, author, other } = m;
    await t.post(
      '/moderation/rules',
      {
        groupId: group.id,
        pattern: 'wonder pill',
        matchType: 'phrase',
        action: 'hold',
        category: 'spam',
      },
      { token: gm.accessToken },
    );
    const thread = await newThread(t, group.id, other.accessToken);
    const before = (await t.get(`/threads/${thread.id}`)).body;
    const held = await t.post(
      `/threads/${thread.id}/posts`,
      { body: 'Try the wonder pill' },
      { token: author.accessToken },
    );
    expect(held.body.status).toBe('pending_review');
    const whileHeld = (await t.get(`/threads/${thread.id}`)).body;
    expect([whileHeld.replyCount, whileHeld.lastActivityAt]).toEqual([0, before.lastActivityAt]);

    const rejected = await t.post(
      `/threads/${thread.id}/posts`,
      { body: 'Another wonder pill' },
      { token: author.accessToken },
    );
    await t.post(
      `/moderation/held/${rejected.body.id}/reject`,
      { reason: 'Spam' },
      {
        token: gm.accessToken,
      },
    );
    expect((await t.get(`/threads/${thread.id}`)).body.replyCount).toBe(0);

    const approve = await t.post(`/moderation/held/${held.body.id}/approve`, undefined, {
      token: gm.accessToken,
    });
    expect(approve.status).toBe(200);
    const after = (await t.get(`/threads/${thread.id}`)).body;
    expect(after.replyCount).toBe(1);
    expect(Date.parse(after.lastActivityAt)).toBeGreaterThan(Date.parse(before.lastActivityAt));
  });
});
