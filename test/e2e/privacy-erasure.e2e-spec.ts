import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import {
  collect,
  connectSocket,
  emitAck,
  enableTwoFactor,
  login,
  onPostgres,
  registerUser,
  type TestApp,
  type TestUser,
  totpCode,
  totpStep,
  twoFactorCode,
  waitFor,
} from '@kinship/testing';
import {
  activeMember,
  type Community,
  listAll,
  newReply,
  newThread,
  startCommunity,
} from './discussions-fixtures';

describe('privacy: DELETE /me (erasure)', () => {
  let c: Community;
  let t: TestApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    c = await startCommunity();
    t = c.t;
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await t?.close();
  });

  const erase = (user: TestUser, body: Record<string, unknown> = { password: user.password }) =>
    t.request('DELETE', '/me', { token: user.accessToken, body });

  it('wrong or missing confirmation: refused, and nothing changes', async () => {
    const member = await activeMember(t, c.owner, [c.publicGroup]);
    const wrong = await erase(member, { password: 'not-the-password' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.type).toBe('/problems/confirmation-failed');
    expect(wrong.body.errors).toEqual([{ field: 'password', message: 'does not match' }]);
    expect((await erase(member, {})).status).toBe(400);
    expect((await t.request('DELETE', '/me', { body: { password: member.password } })).status).toBe(
      401,
    );
    const me = await t.get('/me', { token: member.accessToken });
    expect(me.body).toMatchObject({ email: member.email, handle: member.handle });
    expect((await login(t, member.email, member.password)).id).toBe(member.id);
  });

  describe('a member with a history', () => {
    let rosa: TestUser;
    let sam: TestUser;
    let rosaSocket: Socket;
    let samRemovals: { groupId: string; messageId: string }[];
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      const { publicGroup, privateGroup, owner } = c;
      rosa = await activeMember(t, owner, [publicGroup, privateGroup]);
      sam = await activeMember(t, owner, [publicGroup, privateGroup]);
      const kept = await newThread(t, publicGroup.id, rosa.accessToken, {
        title: 'Rosa started this',
        body: 'rosa-first-post',
      });
      ids.keptThread = kept.id;
      ids.keptFirstPost = kept.firstPost.id;
      await t.patch(
        `/posts/${kept.firstPost.id}`,
        { body: 'rosa-first-post-edited' },
        { token: rosa.accessToken },
      );
      const gone = await newThread(t, publicGroup.id, rosa.accessToken, { title: 'Rosa deleted' });
      ids.deletedThread = gone.id;
      await t.delete(`/posts/${gone.firstPost.id}`, { token: rosa.accessToken });
      const held = await t.post(
        `/groups/${publicGroup.id}/threads`,
        { title: 'Rosa held', body: 'Text me on 07911 123456 after the clinic' },
        { token: rosa.accessToken },
      );
      expect(held.body.status).toBe('pending_review');
      ids.heldThread = held.body.id;
      const samThread = await newThread(t, publicGroup.id, sam.accessToken, { body: 'sam-first' });
      ids.samThread = samThread.id;
      ids.samFirstPost = samThread.firstPost.id;
      ids.rosaReply = (await newReply(t, samThread.id, rosa.accessToken, 'erased-member-reply')).id;
      ids.samAnswer = (
        await newReply(t, samThread.id, sam.accessToken, 'sam-answer', ids.rosaReply)
      ).id;
      ids.rosaOwnReply = (
        await newReply(t, kept.id, rosa.accessToken, 'erased-member-own-reply')
      ).id;
      ids.samInRosas = (await newReply(t, kept.id, sam.accessToken, 'sam-in-rosas-thread')).id;
      await t.post(
        `/posts/${ids.samFirstPost}/reactions`,
        { kind: 'hug' },
        { token: rosa.accessToken },
      );
      await t.post(
        `/posts/${ids.samFirstPost}/reactions`,
        { kind: 'hug' },
        { token: sam.accessToken },
      );
      await t.post(
        '/reports',
        {
          targetType: 'post',
          targetId: ids.samFirstPost,
          reason: 'other',
          details: 'erased-member-report-words',
        },
        { token: rosa.accessToken },
      );
      await t.post(
        '/reports',
        { targetType: 'user', targetId: rosa.id, reason: 'spam', details: 'about rosa' },
        { token: sam.accessToken },
      );
      const message = await t.post(
        `/groups/${privateGroup.id}/messages`,
        { clientMsgId: randomUUID(), body: 'erased-member-chat' },
        { token: rosa.accessToken },
      );
      ids.rosaMessage = message.body.id;
      await t.post(
        `/groups/${privateGroup.id}/messages`,
        { clientMsgId: randomUUID(), body: 'sam-chat' },
        { token: sam.accessToken },
      );

      rosaSocket = await connectSocket(t, rosa.accessToken);
      sockets.push(rosaSocket);
      await emitAck(rosaSocket, 'chat:subscribe', { groupId: privateGroup.id });
      const samSocket = await connectSocket(t, sam.accessToken);
      sockets.push(samSocket);
      await emitAck(samSocket, 'chat:subscribe', { groupId: privateGroup.id });
      samRemovals = collect(samSocket, 'chat:removed');

      const disconnected = waitFor(rosaSocket, 'disconnect');
      const res = await erase(rosa);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      await disconnected;
    });

    it('closes the account at once: tokens, sockets and sign-in', async () => {
      expect(rosaSocket.connected).toBe(false);
      const me = await t.get('/me', { token: rosa.accessToken });
      expect(me.status).toBe(401);
      expect((await t.post('/auth/refresh', { refreshToken: rosa.refreshToken })).status).toBe(401);
      const signIn = await t.post('/auth/login', { email: rosa.email, password: rosa.password });
      expect(signIn.status).toBe(401);
      expect(signIn.body.type).toBe('/problems/invalid-credentials');
      await expect(connectSocket(t, rosa.accessToken)).rejects.toMatchObject({
        data: { status: 401 },
      });
      // A second erasure with the old token: the account is gone already.
      expect((await erase(rosa)).status).toBe(401);
    });

    it('a thread the member started stays readable, its author shown as a deleted member', async () => {
      const thread = await t.get(`/threads/${ids.keptThread}`, { token: sam.accessToken });
      expect(thread.status).toBe(200);
      expect(thread.body.title).toBe('Rosa started this');
      expect(thread.body.author).toEqual({ id: rosa.id, handle: 'deleted member' });
      expect(thread.body.firstPost.body).toBe('rosa-first-post-edited');
      expect(thread.body.firstPost.author.handle).toBe('deleted member');
      const posts = await listAll(t, `/threads/${ids.keptThread}/posts`, sam.accessToken);
      expect(posts.map((p) => p.body)).toEqual(['rosa-first-post-edited', 'sam-in-rosas-thread']);
      // Its edit history (the earlier words) is gone.
      const edits = await t.get(`/posts/${ids.keptFirstPost}/edits`, {
        token: c.owner.accessToken,
      });
      expect(edits.body.items).toEqual([]);
    });

    it('replies are removed, others’ replies to them stay; deleted and held threads go', async () => {
      const posts = await listAll(t, `/threads/${ids.samThread}/posts`, sam.accessToken);
      expect(posts.map((p) => p.id)).toEqual([ids.samFirstPost, ids.samAnswer]);
      expect(posts[1].replyToPostId).toBe(ids.rosaReply);
      expect(
        (await t.get(`/threads/${ids.samThread}`, { token: sam.accessToken })).body.replyCount,
      ).toBe(1);
      expect((await t.get(`/threads/${ids.keptThread}`)).body.replyCount).toBe(1);
      for (const id of [ids.rosaReply, ids.rosaOwnReply]) {
        expect((await t.get(`/posts/${id}/edits`, { token: c.owner.accessToken })).status).toBe(
          404,
        );
      }
      expect(
        (await t.get(`/threads/${ids.deletedThread}`, { token: c.owner.accessToken })).status,
      ).toBe(404);
      expect(
        (await t.get(`/threads/${ids.heldThread}`, { token: c.owner.accessToken })).status,
      ).toBe(404);
      // Reactions are taken back.
      expect(posts[0].reactions.hug).toBe(1);
    });

    it('chat messages are removed, for live clients too', async () => {
      const history = await listAll(t, `/groups/${c.privateGroup.id}/messages`, sam.accessToken);
      expect(history.map((m) => m.body)).toEqual(['sam-chat']);
      expect(samRemovals).toContainEqual({
        groupId: c.privateGroup.id,
        messageId: ids.rosaMessage,
      });
    });

    it('memberships end; member lists show a deleted member', async () => {
      const members = await listAll(t, `/groups/${c.privateGroup.id}/members`, c.owner.accessToken);
      const former = members.find((m) => m.user.id === rosa.id);
      expect(former).toMatchObject({ status: 'left', user: { handle: 'deleted member' } });
    });

    it('neither the handle nor the email appears in any answer', async () => {
      const admin = c.admin;
      const answers = await Promise.all([
        t.get(`/groups/${c.publicGroup.id}/threads`, { token: sam.accessToken }),
        t.get(`/threads/${ids.keptThread}`, { token: sam.accessToken }),
        t.get(`/threads/${ids.keptThread}/posts`, { token: sam.accessToken }),
        t.get(`/threads/${ids.samThread}/posts`, { token: sam.accessToken }),
        t.get(`/groups/${c.privateGroup.id}/messages`, { token: sam.accessToken }),
        t.get(`/groups/${c.privateGroup.id}/members?limit=100`, { token: c.owner.accessToken }),
        t.get(`/groups/${c.publicGroup.id}/members?limit=100`, { token: c.owner.accessToken }),
        t.get('/moderation/queue?limit=100', { token: admin.accessToken }),
        t.get('/moderation/queue?limit=100&status=resolved', { token: admin.accessToken }),
      ]);
      for (const res of answers) {
        expect(res.status).toBe(200);
        expect(res.text).not.toContain(rosa.handle);
        expect(res.text).not.toContain(rosa.email);
        expect(res.text).not.toContain('erased-member-report-words');
        expect(res.text).not.toContain('erased-member-reply');
        expect(res.text).not.toContain('erased-member-chat');
      }
    });

    it('the email and the handle are free again, for a new account with none of the old data', async () => {
      const again = await registerUser(t, {
        email: rosa.email,
        handle: rosa.handle,
        password: rosa.password,
      });
      expect(again.id).not.toBe(rosa.id);
      const data = (await t.get('/me/data', { token: again.accessToken })).body;
      expect(data.profile).toMatchObject({ id: again.id, email: rosa.email, handle: rosa.handle });
      for (const section of [
        'memberships',
        'threads',
        'posts',
        'reactions',
        'chatMessages',
        'chatReadPositions',
        'reports',
      ]) {
        expect(data[section]).toEqual([]);
      }
      expect(JSON.stringify(data)).not.toContain(rosa.id);
    });
  });

  it('two erasures at once: one closes the account, the other changes nothing', async () => {
    const member = await activeMember(t, c.owner, [c.publicGroup]);
    const count = async () =>
      (await t.get(`/groups/${c.publicGroup.id}`, { token: c.owner.accessToken })).body.memberCount;
    const before = await count();
    const answers = await Promise.all([erase(member), erase(member)]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses[0]).toBe(204);
    expect([204, 401]).toContain(statuses[1]);
    expect((await t.get('/me', { token: member.accessToken })).status).toBe(401);
    expect(await count()).toBe(before - 1);
  });

  it('with two-factor sign-in on, erasure needs a code too', async () => {
    const member = await registerUser(t);
    const { secret } = await enableTwoFactor(t, member);
    const session = await login(t, member.email, member.password);
    const noCode = await erase(session);
    expect(noCode.status).toBe(400);
    expect(noCode.body.errors).toEqual([{ field: 'code', message: expect.any(String) }]);
    const code = await twoFactorCode(member.email);
    const wrongCode = [-1, 0, 1, 2].some((d) => totpCode(secret, totpStep() + d) === '000000')
      ? '111111'
      : '000000';
    const wrong = await erase(session, { password: member.password, code: wrongCode });
    expect(wrong.status).toBe(403);
    expect((await t.get('/me', { token: session.accessToken })).status).toBe(200);
    const ok = await erase(session, { password: member.password, code });
    expect(ok.status).toBe(204);
    expect((await t.get('/me', { token: session.accessToken })).status).toBe(401);
  });

  // On the shared PostgreSQL other suites' admins exist; only the embedded database shows it.
  (onPostgres() ? it.skip : it)('the last admin cannot erase their account (409)', async () => {
    const res = await erase(c.admin, {
      password: c.admin.password,
      code: await twoFactorCode(c.admin.email),
    });
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('/problems/last-admin');
    const again = await login(t, c.admin.email, c.admin.password);
    expect(again.id).toBe(c.admin.id);
  });
});
