import type { AuthUser } from '@kinship/identity';

/** What every client → server event is answered with, through its acknowledgement. */
export type Ack<T extends object = object> =
  | ({ ok: true } & T)
  | {
      ok: false;
      error: {
        status: number;
        title: string;
        detail: string;
        errors?: { field: string; message: string }[];
        [extension: string]: unknown;
      };
    };

export interface ChatAuthor {
  id: string;
  handle: string;
}

export interface ChatMessagePayload {
  id: string;
  groupId: string;
  author: ChatAuthor;
  body: string;
  createdAt: string;
  clientMsgId: string;
  status: string;
}

/** Client → server events (shared/API.md "Chat"); payloads arrive untyped and are validated. */
export interface ClientToServerEvents {
  'chat:subscribe': (
    payload: unknown,
    ack?: (answer: Ack<{ groupId: string; online: number }>) => void,
  ) => void;
  'chat:unsubscribe': (payload: unknown, ack?: (answer: Ack) => void) => void;
  'chat:send': (
    payload: unknown,
    ack?: (
      answer: Ack<{ message: ChatMessagePayload; screening?: object; crisisResources?: object[] }>,
    ) => void,
  ) => void;
  'chat:typing': (payload: unknown, ack?: (answer: Ack) => void) => void;
  'chat:read': (payload: unknown, ack?: (answer: Ack) => void) => void;
}

/** Server → client events: an emit with the wrong payload does not compile. */
export interface ServerToClientEvents {
  'chat:message': (message: ChatMessagePayload) => void;
  'chat:typing': (payload: { groupId: string; user: ChatAuthor }) => void;
  'chat:removed': (payload: { groupId: string; messageId: string }) => void;
  presence: (payload: { groupId: string; online: number }) => void;
  'moderation:report': (report: Record<string, unknown>) => void;
  /** To the member (`user:<id>`): a moderator's warning, as GET /me/notices lists it. */
  'moderation:warning': (notice: Record<string, unknown>) => void;
  /** To the member: any other decision about them (mute, ban, content hidden or removed). */
  'moderation:notice': (notice: Record<string, unknown>) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  user: AuthUser;
}

export const groupRoom = (groupId: string) => `group:${groupId}`;
export const userRoom = (userId: string) => `user:${userId}`;
export const moderatorsRoom = (groupId: string) => `moderators:${groupId}`;
/** Sockets of a member muted in the group: their sends take the full access check. */
export const mutedRoom = (groupId: string) => `muted:${groupId}`;
