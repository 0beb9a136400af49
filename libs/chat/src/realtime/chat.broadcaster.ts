import { Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';
import {
  groupRoom,
  type InterServerEvents,
  moderatorsRoom,
  mutedRoom,
  type ServerToClientEvents,
  type SocketData,
  userRoom,
} from './chat.events';

export type ChatServer = Server<
  Record<string, never>,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/**
 * Services publish through this, never through the gateway: emits travel through the socket.io
 * adapter (Redis streams when REDIS_URL is set), so any api process reaches every client.
 */
@Injectable()
export class ChatBroadcaster {
  private server?: ChatServer;

  attach(server: ChatServer): void {
    this.server = server;
  }

  toGroup(groupId: string) {
    return this.server?.to(groupRoom(groupId));
  }

  /** Takes every socket of a member out of a group's rooms (left, removed, banned). */
  removeFromGroup(userId: string, groupId: string): void {
    this.server
      ?.in(userRoom(userId))
      .socketsLeave([groupRoom(groupId), moderatorsRoom(groupId), mutedRoom(groupId)]);
  }

  /** A member's sockets, wherever they are connected (notices). */
  toUser(userId: string) {
    return this.server?.to(userRoom(userId));
  }

  /** Marks (or unmarks) a member's sockets as muted in a group, on every process. */
  setMuted(userId: string, groupId: string, muted: boolean): void {
    const sockets = this.server?.in(userRoom(userId));
    if (muted) sockets?.socketsJoin(mutedRoom(groupId));
    else sockets?.socketsLeave(mutedRoom(groupId));
  }

  /** The sockets of the group's moderators (new reports, held content). */
  toGroupModerators(groupId: string) {
    return this.server?.to(moderatorsRoom(groupId));
  }

  /** Ends every live socket of a member (suspension, erasure). */
  disconnectUser(userId: string): void {
    this.server?.in(userRoom(userId)).disconnectSockets(true);
  }

  /** Distinct members connected to a group's room, across every process. */
  async online(groupId: string): Promise<number> {
    if (!this.server) return 0;
    const sockets = await this.server.in(groupRoom(groupId)).fetchSockets();
    return new Set(sockets.map((s) => s.data.user?.id)).size;
  }
}
