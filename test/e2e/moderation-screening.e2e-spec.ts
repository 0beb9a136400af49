import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { collect, connectSocket, emitAck, sleep, type TestUser } from '@kinship/testing';
import {
  activeMember,
  type Community,
  listAll,
  newReply,
  newThread,
  startCommunity,
} from './discussions-fixtures';

/** Screening on every write path: thread, reply, edit, chat over REST and socket. */
describe('moderation: screening on every write path', () => {
  let c: Community;
  let other: TestUser;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    c = await startCommunity();
    other = await activeMember(c.t, c.owner, [c.publicGroup]);
    for (const [pattern, action, category] of [
      ['miracle cure', 'block', 'misinformation'],
      ['buy now', 'hold', 'spam'],
      ['crypto', 'flag', 'spam'],
    ]) {
      const res = await c.t.post(
        '/moderation/rules',
        { groupId: c.publicGroup.id, pattern, matchType: 'phrase', action, category },
        { token: c.groupModerator.accessToken },
      );
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await c?.t.close();
  });

  const g = () => c.publicGroup.id;
  const token = () => c.member.accessToken;

  /** Every write path, answering {status, body} like HTTP (socket acks mapped onto it). */
  const paths: [string, (body: string) => Promise<{ status: number; body: any }>][] = [
    [
      'thread',
      (body) =>
        c.t.post(`/groups/${g()}/threads`, { title: 'A question', body }, { token: token() }),
    ],
    [
      'reply',
      async (body) => {
        const thread = await newThread(c.t, g(), token());
        return c.t.post(`/threads/${thread.id}/posts`, { body }, { token: token() });
      },
    ],
    [
      'edit',
      async (body) => {
        const thread = await newThread(c.t, g(), token());
        const reply = await newReply(c.t, thread.id, token());
        return c.t.patch(`/posts/${reply.id}`, { body }, { token: token() });
      },
    ],
    [
      'chat REST',
      (body) =>
        c.t.post(
          `/groups/${g()}/messages`,
          { clientMsgId: randomUUID(), body },
          { token: token() },
        ),
    ],
    [
      'chat socket',
      async (body) => {
        const s = await connectSocket(c.t, token());
        sockets.push(s);
        await emitAck(s, 'chat:subscribe', { groupId: g() });
        const ack = await emitAck(s, 'chat:send', {
          groupId: g(),
          clientMsgId: randomUUID(),
          body,
        });
        return ack.ok
          ? { status: 201, body: { ...ack.message, ...ack } }
          : { status: ack.error.status, body: ack.error };
      },
    ],
  ];
  const statusOf = (body: any) =>
    body.status === 'pending_review' || body.firstPost?.status === 'pending_review'
      ? 'pending_review'
      : (body.firstPost?.status ?? body.status);

  it.each(paths)(
    '%s: a block rule answers 422 content-blocked naming the category',
    async (_, write) => {
      const res = await write('Try this m i r a c l e  c u r e today');
      expect(res.status).toBe(422);
      expect(res.body.type ?? '/problems/content-blocked').toMatch(/\/content-blocked$/);
      expect(res.body.category).toBe('misinformation');
    },
  );

  it.each(paths)('%s: a hold rule stores it pending_review with screening', async (_, write) => {
    const res = await write('Great offer, BUY NOW');
    expect([200, 201]).toContain(res.status);
    expect(statusOf(res.body)).toBe('pending_review');
    expect(res.body.screening).toEqual({ action: 'hold', category: 'spam' });
  });

  it.each(paths)('%s: a flag rule publishes and reports it', async (_, write) => {
    const res = await write('Anyone into crypto?');
    expect([200, 201]).toContain(res.status);
    expect(statusOf(res.body)).toBe('published');
    expect(res.body.screening).toEqual({ action: 'flag', category: 'spam' });
  });

  it.each(paths)('%s: crisis language is held with crisis resources', async (_, write) => {
    const res = await write("I can't do this anymore, I want to die");
    expect([200, 201]).toContain(res.status);
    expect(statusOf(res.body)).toBe('pending_review');
    expect(res.body.screening).toMatchObject({ action: 'hold', category: 'self_harm' });
    expect(res.body.crisisResources.length).toBeGreaterThan(0);
    expect(res.body.crisisResources[0]).toEqual({
      name: expect.any(String),
      contact: expect.any(String),
    });
  });

  it.each(paths)(
    '%s: a phone number is held as a privacy leak with an explanation',
    async (_, write) => {
      const res = await write('Text me on 07911 123456 after the clinic');
      expect(statusOf(res.body)).toBe('pending_review');
      expect(res.body.screening).toMatchObject({ action: 'hold', category: 'privacy' });
      expect(res.body.screening.detail).toMatch(/phone number/);
      expect(res.body.crisisResources).toBeUndefined();
    },
  );

  it('evasions (zero-width, homoglyphs, leet, case) are still caught by a rule', async () => {
    for (const body of ['MIRACLE CURE', 'mira\u200Bcle cure', 'mіrасlе cure', 'm1racle cur3']) {
      const res = await c.t.post(
        `/groups/${g()}/messages`,
        { clientMsgId: randomUUID(), body },
        { token: token() },
      );
      expect([body, res.status]).toEqual([body, 422]);
    }
  });

  it('held content: invisible to other members and anonymous readers, visible to author and moderator', async () => {
    const thread = await newThread(c.t, g(), token());
    const held = (
      await c.t.post(`/threads/${thread.id}/posts`, { body: 'buy now!' }, { token: token() })
    ).body;
    const ids = async (tok?: string) =>
      (await listAll(c.t, `/threads/${thread.id}/posts`, tok)).map((p: any) => p.id);
    expect(await ids(token())).toContain(held.id);
    expect(await ids(c.groupModerator.accessToken)).toContain(held.id);
    expect(await ids(other.accessToken)).not.toContain(held.id);
    expect(await ids()).not.toContain(held.id);

    const heldThread = (
      await c.t.post(
        `/groups/${g()}/threads`,
        { title: 'Hello there', body: 'buy now' },
        { token: token() },
      )
    ).body;
    expect((await c.t.get(`/threads/${heldThread.id}`)).status).toBe(404);
    expect((await c.t.get(`/threads/${heldThread.id}`, { token: other.accessToken })).status).toBe(
      404,
    );
    expect((await c.t.get(`/threads/${heldThread.id}`, { token: token() })).status).toBe(200);
    const listed = async (tok?: string) =>
      (await listAll(c.t, `/groups/${g()}/threads`, tok)).map((t: any) => t.id);
    expect(await listed(other.accessToken)).not.toContain(heldThread.id);
    expect(await listed(c.groupModerator.accessToken)).toContain(heldThread.id);

    const listener = await connectSocket(c.t, other.accessToken);
    sockets.push(listener);
    await emitAck(listener, 'chat:subscribe', { groupId: g() });
    const heard = collect(listener, 'chat:message');
    const msg = (
      await c.t.post(
        `/groups/${g()}/messages`,
        { clientMsgId: randomUUID(), body: 'buy now' },
        { token: token() },
      )
    ).body;
    const history = async (tok: string) =>
      (await listAll(c.t, `/groups/${g()}/messages`, tok)).map((m: any) => m.id);
    expect(await history(token())).toContain(msg.id);
    expect(await history(c.groupModerator.accessToken)).toContain(msg.id);
    expect(await history(other.accessToken)).not.toContain(msg.id);

    // Approve publishes (and broadcasts the chat message); reject removes.
    const approve = await c.t.post(`/moderation/held/${msg.id}/approve`, undefined, {
      token: c.groupModerator.accessToken,
    });
    expect(approve.status).toBe(200);
    await sleep(300);
    expect(heard.map((m) => m.id)).toEqual([msg.id]);
    expect(await history(other.accessToken)).toContain(msg.id);
    // To someone who does not moderate the group, held content is as unknown as any id.
    expect(
      (
        await c.t.post(`/moderation/held/${held.id}/approve`, undefined, {
          token: other.accessToken,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await c.t.post(
          `/moderation/held/${held.id}/reject`,
          { reason: 'spam' },
          { token: c.groupModerator.accessToken },
        )
      ).status,
    ).toBe(200);
    expect(await ids(token())).not.toContain(held.id);
    expect(
      (
        await c.t.post(`/moderation/held/${held.id}/approve`, undefined, {
          token: c.groupModerator.accessToken,
        })
      ).status,
    ).toBe(404);
  });

  it('a held chat message is not broadcast to the room', async () => {
    const listener = await connectSocket(c.t, other.accessToken);
    sockets.push(listener);
    await emitAck(listener, 'chat:subscribe', { groupId: g() });
    const heard = collect(listener, 'chat:message');
    const sender = await connectSocket(c.t, token());
    sockets.push(sender);
    await emitAck(sender, 'chat:subscribe', { groupId: g() });
    const ack = await emitAck(sender, 'chat:send', {
      groupId: g(),
      clientMsgId: randomUUID(),
      body: 'buy now',
    });
    expect(ack).toMatchObject({ ok: true, message: { status: 'pending_review' } });
    await emitAck(sender, 'chat:send', {
      groupId: g(),
      clientMsgId: randomUUID(),
      body: 'hello all',
    });
    await sleep(300);
    expect(heard.map((m) => m.body)).toEqual(['hello all']);
  });
});
