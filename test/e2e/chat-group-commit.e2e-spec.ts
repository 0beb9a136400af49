import { randomUUID } from 'node:crypto';
import {
  collect,
  emitAck,
  joinGroup,
  registerUser,
  sleep,
  type TestApp,
  type TestUser,
} from '@kinship/testing';
import { type ChatRoom, readWholeHistory, startChatRoom } from './chat-fixtures';

interface Message {
  id: string;
  body: string;
  clientMsgId: string;
  author: { id: string };
}

/**
 * Many sends at once: those that arrive while a batch is written share the next one (group
 * commit), with retries of messages in the same or an earlier batch among them. Nothing
 * acknowledged may be lost, doubled or reordered for its author.
 */
describe('chat group commit under concurrent sends', () => {
  const PER_AUTHOR = 30;
  let room: ChatRoom;
  let t: TestApp;
  let groupId: string;
  let authors: TestUser[];
  let reader: TestUser;

  beforeAll(async () => {
    // Flood control would refuse a burst of this size; it is not what is tested here.
    room = await startChatRoom({ CHAT_MESSAGES_PER_SECOND: '1000', CHAT_BURST: '1000' });
    ({ t, groupId } = room);
    authors = await Promise.all([1, 2, 3, 4].map(() => registerUser(t)));
    reader = await registerUser(t);
    for (const u of [...authors, reader]) await joinGroup(t, groupId, u.accessToken, u.id);
  });
  afterAll(() => room?.close());

  it('stores and broadcasts every message once, each author in the order sent, retries included', async () => {
    const connected = await Promise.all([...authors, reader].map((u) => room.connect(u)));
    for (const s of connected) {
      expect(await emitAck(s, 'chat:subscribe', { groupId })).toMatchObject({ ok: true });
    }
    const received = collect<Message>(connected[authors.length], 'chat:message');

    // Round robin over the authors, all emitted at once; every fifth message is sent twice in
    // a row (a client retrying before its acknowledgement arrived).
    const sends: { author: number; clientMsgId: string; body: string; retry: boolean }[] = [];
    for (let i = 0; i < PER_AUTHOR; i++) {
      authors.forEach((_, author) => {
        const send = { author, clientMsgId: randomUUID(), body: `from ${author}: ${i}` };
        sends.push({ ...send, retry: false });
        if (i % 5 === 0) sends.push({ ...send, retry: true });
      });
    }
    const acks = await Promise.all(
      sends.map((s) =>
        emitAck(connected[s.author], 'chat:send', {
          groupId,
          clientMsgId: s.clientMsgId,
          body: s.body,
        }),
      ),
    );
    expect(acks.filter((a) => !a.ok)).toEqual([]);
    const idOf = new Map<string, string>();
    sends.forEach((s, i) => {
      const id = acks[i].message.id as string;
      if (s.retry) expect(id).toBe(idOf.get(s.clientMsgId));
      else idOf.set(s.clientMsgId, id);
    });
    const total = authors.length * PER_AUTHOR;
    expect(new Set(idOf.values()).size).toBe(total);

    // The room got each message once, each author's in the order sent.
    for (let waited = 0; received.length < total && waited < 5_000; waited += 50) await sleep(50);
    await sleep(300);
    expect(received).toHaveLength(total);
    expect(new Set(received.map((m) => m.id)).size).toBe(total);
    const sentBodies = (author: number) =>
      sends.filter((s) => s.author === author && !s.retry).map((s) => s.body);
    const bodiesOf = (messages: Message[], author: number) =>
      messages.filter((m) => m.author.id === authors[author].id).map((m) => m.body);
    authors.forEach((_, author) => {
      expect(bodiesOf(received, author)).toEqual(sentBodies(author));
    });

    // History holds each once; oldest first, each author's are in the order sent.
    const history = await readWholeHistory<Message>(t, groupId, reader.accessToken, 100);
    expect(history.map((m) => m.id).sort()).toEqual([...idOf.values()].sort());
    const oldestFirst = history.reverse();
    authors.forEach((_, author) => {
      expect(bodiesOf(oldestFirst, author)).toEqual(sentBodies(author));
    });
  });
});
