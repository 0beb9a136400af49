import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  collect,
  createGroup,
  emitAck,
  joinGroup,
  onPostgres,
  registerUser,
  sleep,
  type TestApp,
  type TestUser,
} from '@kinship/testing';
import { type ChatRoom, readWholeHistory, startChatRoom } from './chat-fixtures';

describe('chat: REST twins, flood control, event log', () => {
  let room: ChatRoom;
  let t: TestApp;
  let moderator: TestUser;
  let rosa: TestUser;
  let groupId: string;

  beforeAll(async () => {
    room = await startChatRoom({ CHAT_MESSAGES_PER_SECOND: '2', CHAT_BURST: '3' });
    ({ t, moderator, groupId } = room);
    rosa = await registerUser(t);
    await joinGroup(t, groupId, rosa.accessToken, rosa.id);
  });
  afterAll(() => room?.close());

  it('POST stores and broadcasts (201); the same clientMsgId again answers the stored message (200)', async () => {
    const listener = await room.connect(moderator);
    await emitAck(listener, 'chat:subscribe', { groupId });
    const received = collect(listener, 'chat:message');
    const clientMsgId = randomUUID();
    const first = await t.post(
      `/groups/${groupId}/messages`,
      { clientMsgId, body: 'Hello from the web' },
      { token: rosa.accessToken },
    );
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      groupId,
      clientMsgId,
      body: 'Hello from the web',
      author: { id: rosa.id },
    });
    const again = await t.post(
      `/groups/${groupId}/messages`,
      { clientMsgId, body: 'Hello from the web' },
      { token: rosa.accessToken },
    );
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    await sleep(300);
    expect(received.map((m) => m.id)).toEqual([first.body.id]);
  });

  it('history is newest first, in exact cursor pages', async () => {
    const g = (await createGroup(t, moderator.accessToken)).id;
    await joinGroup(t, g, rosa.accessToken, rosa.id);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await t.post(
        `/groups/${g}/messages`,
        { clientMsgId: randomUUID(), body: `m${i}` },
        { token: rosa.accessToken },
      );
      ids.push(res.body.id);
    }
    const seen = await readWholeHistory(t, g, rosa.accessToken, 3);
    expect(seen.map((m) => m.id)).toEqual(ids.reverse());
  });

  it('refuses outsiders (403 public, 404 private) and bad input (400)', async () => {
    const outsider = await registerUser(t);
    const body = { clientMsgId: randomUUID(), body: 'hi' };
    expect(
      (await t.post(`/groups/${groupId}/messages`, body, { token: outsider.accessToken })).status,
    ).toBe(403);
    expect(
      (await t.get(`/groups/${groupId}/messages`, { token: outsider.accessToken })).status,
    ).toBe(403);
    const hidden = await createGroup(t, moderator.accessToken, { visibility: 'private' });
    expect(
      (await t.post(`/groups/${hidden.id}/messages`, body, { token: outsider.accessToken })).status,
    ).toBe(404);
    expect(
      (await t.get(`/groups/${hidden.id}/messages`, { token: outsider.accessToken })).status,
    ).toBe(404);
    expect((await t.get(`/groups/${groupId}/messages`)).status).toBe(401);
    for (const [payload, field] of [
      [{ body: 'x' }, 'clientMsgId'],
      [{ clientMsgId: 'abc', body: 'x' }, 'clientMsgId'],
      [{ clientMsgId: randomUUID(), body: '' }, 'body'],
      [{ clientMsgId: randomUUID(), body: 'x'.repeat(4001) }, 'body'],
      [{ clientMsgId: randomUUID(), body: 'x', groupId }, 'groupId'],
    ] as const) {
      const res = await t.post(`/groups/${groupId}/messages`, payload, { token: rosa.accessToken });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(
      (await t.get(`/groups/${groupId}/messages?cursor=zzz`, { token: rosa.accessToken })).status,
    ).toBe(400);
    expect((await t.get('/groups/nope/messages', { token: rosa.accessToken })).status).toBe(400);
  });

  it('floods get a clear error ack with a retry time', async () => {
    const s = await room.connect(rosa);
    const acks = [];
    for (let i = 0; i < 5; i++)
      acks.push(
        await emitAck(s, 'chat:send', { groupId, clientMsgId: randomUUID(), body: `burst ${i}` }),
      );
    expect(acks.slice(0, 3).every((a) => a.ok)).toBe(true);
    expect(acks[4]).toMatchObject({
      ok: false,
      error: { status: 429, title: 'You are sending too fast' },
    });
    await sleep(1_100);
    expect(
      (await emitAck(s, 'chat:send', { groupId, clientMsgId: randomUUID(), body: 'after a pause' }))
        .ok,
    ).toBe(true);
  });

  (onPostgres() ? describe : describe.skip)('event log (PostgreSQL)', () => {
    let db: Client;
    beforeAll(async () => {
      db = new Client({ connectionString: process.env.DATABASE_URL });
      await db.connect();
    });
    afterAll(() => db?.end());

    it('chat_message_sent once per stored message (retries included), in its transaction', async () => {
      const member = await registerUser(t);
      await joinGroup(t, groupId, member.accessToken, member.id);
      const clientMsgId = randomUUID();
      const sent = await t.post(
        `/groups/${groupId}/messages`,
        { clientMsgId, body: 'counted once' },
        { token: member.accessToken },
      );
      await t.post(
        `/groups/${groupId}/messages`,
        { clientMsgId, body: 'counted once' },
        { token: member.accessToken },
      );
      await t.post(
        `/groups/${groupId}/messages`,
        { clientMsgId: 'bad', body: 'never stored' },
        { token: member.accessToken },
      );
      const { rows } = await db.query(
        `SELECT object_id, group_id, context_id, occurred_at FROM engagement_events
          WHERE user_id = $1 AND kind = 'chat_message_sent'`,
        [member.id],
      );
      // The group's chat is the message's conversation; the event has the message's own time.
      expect(rows).toEqual([
        {
          object_id: sent.body.id,
          group_id: groupId,
          context_id: groupId,
          occurred_at: new Date(sent.body.createdAt),
        },
      ]);
    });

    it('chat_read once for reads within 30 minutes', async () => {
      const member = await registerUser(t);
      await joinGroup(t, groupId, member.accessToken, member.id);
      const s = await room.connect(member);
      await emitAck(s, 'chat:subscribe', { groupId });
      const m1 = await t.post(
        `/groups/${groupId}/messages`,
        { clientMsgId: randomUUID(), body: 'one' },
        { token: rosa.accessToken },
      );
      const m2 = await t.post(
        `/groups/${groupId}/messages`,
        { clientMsgId: randomUUID(), body: 'two' },
        { token: rosa.accessToken },
      );
      await emitAck(s, 'chat:read', { groupId, messageId: m1.body.id });
      await emitAck(s, 'chat:read', { groupId, messageId: m2.body.id });
      await sleep(1_500);
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM engagement_events WHERE user_id = $1 AND kind = 'chat_read' AND group_id = $2`,
        [member.id, groupId],
      );
      expect(rows[0].n).toBe(1);
      const cursor = await db.query(`SELECT message_id FROM chat_read_cursors WHERE user_id = $1`, [
        member.id,
      ]);
      expect(cursor.rows[0].message_id).toBe(m2.body.id);
    });
  });
});
