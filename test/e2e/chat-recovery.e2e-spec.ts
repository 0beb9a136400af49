import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import {
  collect,
  connectSocket,
  emitAck,
  joinGroup,
  registerUser,
  sleep,
  type TestApp,
  type TestUser,
  waitFor,
} from '@kinship/testing';
import { type ChatRoom, startChatRoom } from './chat-fixtures';

/** A client that drops for a moment gets its rooms back, but only those it may still be in. */
describe('chat: connection-state recovery', () => {
  let room: ChatRoom;
  let t: TestApp;
  let moderator: TestUser;
  let groupId: string;
  let admin: TestUser;

  beforeAll(async () => {
    room = await startChatRoom();
    ({ t, admin, moderator, groupId } = room);
  });
  afterAll(() => room?.close());

  /** A reconnecting client (the defaults of a real app), connected and subscribed. */
  async function recoveringClient(user: TestUser): Promise<Socket> {
    const socket = io(t.baseUrl, {
      auth: { token: user.accessToken },
      transports: ['websocket'],
      reconnectionDelay: 100,
    });
    room.track(socket);
    await waitFor(socket, 'connect');
    // Recovery resumes from the offset of the last packet received: wait for the first one (with
    // the Redis adapter it arrives through the stream, after the ack).
    const presence = waitFor(socket, 'presence');
    expect(await emitAck(socket, 'chat:subscribe', { groupId })).toMatchObject({ ok: true });
    await presence;
    return socket;
  }

  it('a member who drops and comes back is still in the room and gets what was missed', async () => {
    const member = await registerUser(t);
    await joinGroup(t, groupId, member.accessToken, member.id);
    const socket = await recoveringClient(member);
    const received = collect(socket, 'chat:message');
    const back = waitFor(socket, 'connect', 10_000);
    (socket.io as unknown as { engine: { close(): void } }).engine.close();
    // Sent while the member is away: delivered on recovery, in order.
    const missed = ['while you were away', 'the group met on Tuesday', 'see you next week'];
    for (const body of missed) {
      await t.post(
        `/groups/${groupId}/messages`,
        { clientMsgId: randomUUID(), body },
        { token: moderator.accessToken },
      );
    }
    await back;
    expect(socket.recovered).toBe(true);
    await sleep(300);
    expect(received.map((m) => m.body)).toEqual(missed);
  });

  it('a member who left while disconnected is not put back in the room', async () => {
    const member = await registerUser(t);
    await joinGroup(t, groupId, member.accessToken, member.id);
    const socket = await recoveringClient(member);
    const back = waitFor(socket, 'connect', 10_000);
    (socket.io as unknown as { engine: { close(): void } }).engine.close();
    await t.delete(`/groups/${groupId}/members/me`, { token: member.accessToken });
    await back;
    await sleep(200);
    const received = collect(socket, 'chat:message');
    await t.post(
      `/groups/${groupId}/messages`,
      { clientMsgId: randomUUID(), body: 'members only' },
      { token: moderator.accessToken },
    );
    await sleep(300);
    expect(received).toEqual([]);
  });

  it('a suspended member is disconnected, and reconnecting runs the handshake check again', async () => {
    const member = await registerUser(t);
    await joinGroup(t, groupId, member.accessToken, member.id);
    const socket = await recoveringClient(member);
    const dropped = waitFor(socket, 'disconnect', 10_000);
    const until = new Date(Date.now() + 3_600_000).toISOString();
    await t.patch(
      `/admin/users/${member.id}`,
      { suspendedUntil: until },
      { token: admin.accessToken },
    );
    expect(await dropped).toBe('io server disconnect');
    const refused = waitFor(socket, 'connect_error', 10_000);
    socket.connect();
    expect((await refused).data?.status).toBe(403);
    socket.close();
    await expect(connectSocket(t, member.accessToken)).rejects.toMatchObject({
      data: { status: 403 },
    });
  });
});
