import { randomUUID } from 'node:crypto';
import {
  appJwtSecret,
  collect,
  connectSocket,
  createGroup,
  decodeJwt,
  emitAck,
  joinGroup,
  registerUser,
  signJwt,
  sleep,
  type TestApp,
  type TestUser,
  waitFor,
} from '@kinship/testing';
import { type ChatRoom, startChatRoom } from './chat-fixtures';

describe('chat over socket.io', () => {
  let room: ChatRoom;
  let t: TestApp;
  let moderator: TestUser;
  let rosa: TestUser;
  let sam: TestUser;
  let groupId: string;
  let admin: TestUser;
  const connect = (user: TestUser) => room.connect(user);

  beforeAll(async () => {
    room = await startChatRoom();
    ({ t, admin, moderator, groupId } = room);
    rosa = await registerUser(t);
    sam = await registerUser(t);
    await joinGroup(t, groupId, rosa.accessToken, rosa.id);
    await joinGroup(t, groupId, sam.accessToken, sam.id);
  });
  afterAll(() => room?.close());

  describe('handshake', () => {
    it('accepts a valid access token', async () => {
      const s = await connect(rosa);
      expect(s.connected).toBe(true);
    });

    it.each([
      ['no token', () => undefined],
      ['garbage', () => 'nope'],
      [
        'forged',
        () => signJwt(decodeJwt(rosa.accessToken), 'another-secret-of-at-least-32-characters!!'),
      ],
      [
        'expired',
        () =>
          signJwt(
            { ...decodeJwt(rosa.accessToken), exp: Math.floor(Date.now() / 1000) - 10 },
            appJwtSecret(t),
          ),
      ],
      ['alg none', () => signJwt(decodeJwt(rosa.accessToken), '', { alg: 'none' })],
    ])(
      'refuses %s in the handshake (connect_error, never connect-then-drop)',
      async (_name, token) => {
        const error = await connectSocket(t, token()).then(
          () => undefined,
          (e: Error & { data?: { status: number } }) => e,
        );
        expect(error).toBeDefined();
        expect(error!.data?.status).toBe(401);
      },
    );

    it('refuses a token whose session was logged out', async () => {
      const user = await registerUser(t);
      await t.post('/auth/logout', undefined, { token: user.accessToken });
      await expect(connectSocket(t, user.accessToken)).rejects.toMatchObject({
        data: { status: 401 },
      });
    });
  });

  describe('subscribe, send, receive', () => {
    it('only active members subscribe', async () => {
      const outsider = await registerUser(t);
      const s = await connect(outsider);
      const refused = await emitAck(s, 'chat:subscribe', { groupId });
      expect(refused).toMatchObject({ ok: false, error: { status: 403 } });
      const unknown = await emitAck(s, 'chat:subscribe', { groupId: randomUUID() });
      expect(unknown).toMatchObject({ ok: false, error: { status: 404 } });
      const privateGroup = await createGroup(t, moderator.accessToken, { visibility: 'private' });
      const hidden = await emitAck(s, 'chat:subscribe', { groupId: privateGroup.id });
      expect(hidden).toMatchObject({ ok: false, error: { status: 404 } });
    });

    it('delivers an acknowledged message to the room, once, and a retry returns the stored one', async () => {
      const a = await connect(rosa);
      const b = await connect(sam);
      expect(await emitAck(a, 'chat:subscribe', { groupId })).toMatchObject({ ok: true, groupId });
      expect(await emitAck(b, 'chat:subscribe', { groupId })).toMatchObject({ ok: true });
      const received = collect(b, 'chat:message');
      const clientMsgId = randomUUID();
      const ack = await emitAck(a, 'chat:send', {
        groupId,
        clientMsgId,
        body: '  Anyone tried the new pump?  ',
      });
      expect(ack).toEqual({
        ok: true,
        message: {
          id: expect.any(String),
          groupId,
          author: { id: rosa.id, handle: rosa.handle },
          body: 'Anyone tried the new pump?',
          createdAt: expect.any(String),
          clientMsgId,
          // Added with screening: a held message answers `pending_review` to its author.
          status: 'published',
        },
      });
      const retry = await emitAck(a, 'chat:send', {
        groupId,
        clientMsgId,
        body: 'Anyone tried the new pump?',
      });
      expect(retry.message.id).toBe(ack.message.id);
      await sleep(300);
      expect(received.filter((m) => m.clientMsgId === clientMsgId)).toHaveLength(1);
      expect(received[0]).toEqual(ack.message);
    });

    it('the sender gets the acknowledgement before the broadcast', async () => {
      const a = await connect(rosa);
      await emitAck(a, 'chat:subscribe', { groupId });
      const order: string[] = [];
      a.on('chat:message', () => order.push('broadcast'));
      await new Promise<void>((resolve) =>
        a.emit('chat:send', { groupId, clientMsgId: randomUUID(), body: 'order' }, () => {
          order.push('ack');
          resolve();
        }),
      );
      await sleep(200);
      expect(order).toEqual(['ack', 'broadcast']);
    });

    it('a send that asks for no acknowledgement is still stored and broadcast', async () => {
      const a = await connect(rosa);
      const b = await connect(sam);
      await emitAck(a, 'chat:subscribe', { groupId });
      await emitAck(b, 'chat:subscribe', { groupId });
      const received: { clientMsgId: string }[] = [];
      b.on('chat:message', (m: { clientMsgId: string }) => received.push(m));
      const first = waitFor<{ clientMsgId: string }>(b, 'chat:message');
      const clientMsgId = randomUUID();
      a.emit('chat:send', { groupId, clientMsgId, body: 'no ack wanted' });
      expect((await first).clientMsgId).toBe(clientMsgId);
      // Sent again with an ack: the stored message comes back, not a second one.
      const retry = await emitAck(a, 'chat:send', { groupId, clientMsgId, body: 'no ack wanted' });
      expect(retry.ok).toBe(true);
      await sleep(200);
      expect(received.filter((m) => m.clientMsgId === clientMsgId)).toHaveLength(1);
    });

    it('a clientMsgId reused for another group is a conflict', async () => {
      const other = await createGroup(t, moderator.accessToken);
      await joinGroup(t, other.id, rosa.accessToken, rosa.id);
      const a = await connect(rosa);
      const clientMsgId = randomUUID();
      expect((await emitAck(a, 'chat:send', { groupId, clientMsgId, body: 'one' })).ok).toBe(true);
      const reused = await emitAck(a, 'chat:send', { groupId: other.id, clientMsgId, body: 'two' });
      expect(reused).toMatchObject({ ok: false, error: { status: 409 } });
    });

    it('typing reaches the others, throttled per socket; presence counts members', async () => {
      const a = await connect(rosa);
      const b = await connect(sam);
      await emitAck(b, 'chat:subscribe', { groupId });
      const presence = waitFor(b, 'presence');
      const sub = await emitAck(a, 'chat:subscribe', { groupId });
      expect(sub.online).toBeGreaterThanOrEqual(2);
      expect((await presence).groupId).toBe(groupId);
      const typing = collect(b, 'chat:typing');
      const own = collect(a, 'chat:typing');
      for (let i = 0; i < 3; i++)
        expect((await emitAck(a, 'chat:typing', { groupId })).ok).toBe(true);
      await sleep(300);
      expect(typing).toEqual([{ groupId, user: { id: rosa.id, handle: rosa.handle } }]);
      expect(own).toEqual([]);
    });

    it('moves the read cursor; unknown messages are 404', async () => {
      const a = await connect(rosa);
      await emitAck(a, 'chat:subscribe', { groupId });
      const sent = await emitAck(a, 'chat:send', {
        groupId,
        clientMsgId: randomUUID(),
        body: 'read me',
      });
      expect(await emitAck(a, 'chat:read', { groupId, messageId: sent.message.id })).toEqual({
        ok: true,
      });
      expect(await emitAck(a, 'chat:read', { groupId, messageId: randomUUID() })).toMatchObject({
        ok: false,
        error: { status: 404 },
      });
    });

    it('unsubscribing stops delivery', async () => {
      const a = await connect(rosa);
      const b = await connect(sam);
      await emitAck(b, 'chat:subscribe', { groupId });
      expect(await emitAck(b, 'chat:unsubscribe', { groupId })).toEqual({ ok: true });
      const received = collect(b, 'chat:message');
      await emitAck(a, 'chat:send', { groupId, clientMsgId: randomUUID(), body: 'not for b' });
      await sleep(300);
      expect(received).toEqual([]);
    });
  });

  describe('bad payloads never crash the server', () => {
    it.each([
      ['a string', 'hello'],
      ['an array', [1, 2]],
      ['null', null],
      ['a number', 42],
      ['missing body', { groupId: '', clientMsgId: '' }],
      ['a malformed groupId', { groupId: 'nope', clientMsgId: randomUUID(), body: 'x' }],
      ['a malformed clientMsgId', { groupId: randomUUID(), clientMsgId: 'abc', body: 'x' }],
      ['an empty body', { groupId: randomUUID(), clientMsgId: randomUUID(), body: '   ' }],
      [
        'a body too long',
        { groupId: randomUUID(), clientMsgId: randomUUID(), body: 'x'.repeat(4001) },
      ],
      [
        'a body of the wrong type',
        { groupId: randomUUID(), clientMsgId: randomUUID(), body: { $ne: 1 } },
      ],
      [
        'an extra field',
        { groupId: randomUUID(), clientMsgId: randomUUID(), body: 'x', authorId: randomUUID() },
      ],
      [
        'a body with a lone surrogate',
        { groupId: randomUUID(), clientMsgId: randomUUID(), body: 'feeling \ud800 low' },
      ],
      [
        'a body with the NUL character',
        { groupId: randomUUID(), clientMsgId: randomUUID(), body: 'feeling \u0000 low' },
      ],
      ['binary', Buffer.from([0, 1, 2, 3])],
    ])('chat:send with %s → error ack 400', async (_name, payload) => {
      const s = await connect(rosa);
      const ack = await emitAck(s, 'chat:send', payload);
      expect(ack).toMatchObject({ ok: false, error: { status: 400, title: expect.any(String) } });
    });

    it('unknown events with an ack get a 404 ack; without, they are ignored', async () => {
      const s = await connect(rosa);
      expect(await emitAck(s, 'chat:delete-everything', {})).toMatchObject({
        ok: false,
        error: { status: 404 },
      });
      s.emit('no-such-event', { x: 1 });
      s.emit('chat:send'); // no payload, no ack
      await sleep(100);
      expect(s.connected).toBe(true);
      expect((await t.get('/health')).status).toBe(200);
    });

    it('a packet over the payload limit closes that connection only', async () => {
      const s = await connect(rosa);
      const closed = waitFor(s, 'disconnect');
      s.emit('chat:send', { groupId, clientMsgId: randomUUID(), body: 'x'.repeat(40_000) });
      await closed;
      expect((await t.get('/health')).status).toBe(200);
      const again = await connect(rosa);
      expect(again.connected).toBe(true);
    });
  });

  describe('membership and suspension take effect on live sockets', () => {
    it('after leaving, the socket no longer receives nor sends', async () => {
      const leaver = await registerUser(t);
      await joinGroup(t, groupId, leaver.accessToken, leaver.id);
      const l = await connect(leaver);
      const a = await connect(rosa);
      await emitAck(l, 'chat:subscribe', { groupId });
      await emitAck(a, 'chat:subscribe', { groupId });
      expect(
        (await t.delete(`/groups/${groupId}/members/me`, { token: leaver.accessToken })).status,
      ).toBe(204);
      await sleep(300);
      const received = collect(l, 'chat:message');
      await emitAck(a, 'chat:send', { groupId, clientMsgId: randomUUID(), body: 'after you left' });
      const refused = await emitAck(l, 'chat:send', {
        groupId,
        clientMsgId: randomUUID(),
        body: 'still here?',
      });
      expect(refused).toMatchObject({ ok: false, error: { status: 403 } });
      await sleep(300);
      expect(received).toEqual([]);
    });

    it('a suspension disconnects the member at once', async () => {
      const member = await registerUser(t);
      const s = await connect(member);
      const gone = waitFor(s, 'disconnect');
      const until = new Date(Date.now() + 3_600_000).toISOString();
      await t.patch(
        `/admin/users/${member.id}`,
        { suspendedUntil: until },
        { token: admin.accessToken },
      );
      await gone;
      await expect(connectSocket(t, member.accessToken)).rejects.toMatchObject({
        data: { status: 403 },
      });
    });
  });
});
