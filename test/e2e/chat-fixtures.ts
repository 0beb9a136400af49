import type { Socket } from 'socket.io-client';
import { connectSocket, createGroup, TestApp, type TestUser, userWithRole } from '@kinship/testing';

/** Shared set-up of the chat suites (not a suite itself). */
export interface ChatRoom {
  t: TestApp;
  admin: TestUser;
  /** Platform moderator who created the group (so its moderator). */
  moderator: TestUser;
  groupId: string;
  /** A user's socket, connected; closed with the room. */
  connect(user: TestUser): Promise<Socket>;
  /** A socket made by the suite itself (its own client options), closed with the room. */
  track(socket: Socket): Socket;
  /** Closes every socket, then the api. */
  close(): Promise<void>;
}

/** An api with one public, open group made by a platform moderator. */
export async function startChatRoom(env: Record<string, string> = {}): Promise<ChatRoom> {
  const { t, admin } = await TestApp.startWithAdmin(env);
  const sockets: Socket[] = [];
  const track = (socket: Socket) => {
    sockets.push(socket);
    return socket;
  };
  try {
    const moderator = await userWithRole(t, admin.accessToken, 'moderator');
    const groupId = (await createGroup(t, moderator.accessToken)).id;
    return {
      t,
      admin,
      moderator,
      groupId,
      track,
      connect: async (user) => track(await connectSocket(t, user.accessToken)),
      close: async () => {
        sockets.forEach((s) => s.close());
        await t.close();
      },
    };
  } catch (error) {
    await t.close();
    throw error;
  }
}

/** Every message of a group's history, newest first, read page by page (each page a 200). */
export async function readWholeHistory<T = { id: string }>(
  t: TestApp,
  groupId: string,
  token: string,
  limit: number,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${cursor}` : '';
    const res = await t.get(`/groups/${groupId}/messages?limit=${limit}${query}`, { token });
    if (res.status !== 200) throw new Error(`history page: ${res.status} ${res.text}`);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}
