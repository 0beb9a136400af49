import { Inject, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { OnEvent } from '@nestjs/event-emitter';
import { type OnGatewayConnection, type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { AppException } from '@kinship/common';
import { MEMBERSHIP_ENDED, type MembershipEndedEvent } from '@kinship/communities';
import { TokenService, USER_ACCESS_REVOKED, type UserAccessRevokedEvent } from '@kinship/identity';
import { chatConfig } from '../chat.config';
import { ChatErrorCode, ChatException } from '../chat.exception';
import { ChatService } from '../chat.service';
import { acceptedSend, GroupRefDto, ReadCursorDto, SocketSendDto } from '../dto/chat.dto';
import { ChatBroadcaster, type ChatServer } from './chat.broadcaster';
import {
  type Ack,
  type ClientToServerEvents,
  groupRoom,
  type InterServerEvents,
  moderatorsRoom,
  mutedRoom,
  type ServerToClientEvents,
  type SocketData,
  userRoom,
} from './chat.events';
import { errorAck, TokenBucket, validatePayload } from './socket-guards';

type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type AckFn = (answer: Ack<any>) => void;

const TYPING_EVERY_MS = 2_000;
/**
 * Presence is published at most once per PRESENCE_EVERY_MS per group: the first change at once,
 * later ones in the window coalesced into one trailing update with the count at that time.
 * Publishing on every subscribe/leave made a burst of n joins (every client re-subscribing after a
 * deploy or a network blip) send n²/2 presence frames: ~500,000 for a 1,000-member room, about
 * 9 s of this process's CPU during which every room on it waited (bench/chat, "Chat" in
 * bench/README.md). Throttled, such a burst costs a few room-wide updates.
 */
const PRESENCE_EVERY_MS = 1_000;
const GROUP_ROOM = /^group:(.+)$/;

/**
 * The realtime edge of chat (default namespace). It authenticates the handshake with the same
 * token service as HTTP, validates every payload, answers every event through its ack, and leaves
 * the rules to ChatService. Rooms: group:<id>, user:<id>, moderators:<groupId>.
 */
@WebSocketGateway()
export class ChatGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly logger = new Logger(ChatGateway.name);
  /** Presence throttle state, one small entry per group that had members on this process. */
  private readonly presence = new Map<string, { lastAt: number; timer?: NodeJS.Timeout }>();

  constructor(
    private readonly tokens: TokenService,
    private readonly chat: ChatService,
    private readonly broadcaster: ChatBroadcaster,
    @Inject(chatConfig.KEY) private readonly config: ConfigType<typeof chatConfig>,
  ) {}

  afterInit(server: Server): void {
    this.broadcaster.attach(server as unknown as ChatServer);
    // Runs on every handshake, and again on connection-state recovery (skipMiddlewares: false).
    server.use((socket, next) => {
      this.tokens.authenticate(tokenOf(socket.handshake.auth)).then(
        (user) => {
          (socket as ChatSocket).data.user = user;
          next();
        },
        (error: unknown) => {
          const problem = error instanceof AppException ? error : undefined;
          const refusal = new Error(problem?.title ?? 'Authentication failed') as Error & {
            data: unknown;
          };
          refusal.data = {
            status: problem?.status ?? 401,
            detail: problem?.detail ?? 'Send auth.token',
          };
          next(refusal);
        },
      );
    });
  }

  async handleConnection(socket: ChatSocket): Promise<void> {
    const user = socket.data.user;
    await socket.join(userRoom(user.id));
    if (socket.recovered) await this.recheckRooms(socket);

    const sends = new TokenBucket(this.config.messagesPerSecond, this.config.burst);
    const events = new TokenBucket(this.config.messagesPerSecond * 4, this.config.burst * 2);
    const lastTyping = new Map<string, number>();
    // `afterAck` runs work right after the ack is written (chat:send's broadcast), in the same
    // turn of the event loop: a setImmediate let other callbacks go first, adding ~0.1 ms (p99
    // up to ~0.8 ms) to every message's fan-out.
    const on = (
      event: keyof ClientToServerEvents,
      handler: (payload: unknown, afterAck: (work: () => void) => void) => Promise<Ack<any>>,
    ) =>
      socket.on(event, (payload: unknown, ack?: AckFn) => {
        const reply =
          typeof ack === 'function'
            ? ack
            : typeof payload === 'function'
              ? (payload as AckFn)
              : undefined;
        let after: (() => void) | undefined;
        const wait = (event === 'chat:send' ? sends : events).take();
        const answer =
          wait > 0
            ? Promise.resolve(
                errorAck(
                  new ChatException(
                    ChatErrorCode.Flooding,
                    `Wait ${wait.toFixed(1)} s before sending again.`,
                    undefined,
                    {
                      retryAfterSeconds: Math.ceil(wait),
                    },
                  ),
                ),
              )
            : handler(typeof payload === 'function' ? undefined : payload, (work) => {
                after = work;
              }).catch((e: unknown) => errorAck(e));
        void answer
          .then((a) => {
            try {
              reply?.(a);
            } finally {
              after?.(); // a stored message is broadcast whatever became of its ack
            }
          })
          .catch((e: unknown) => this.logger.error(`after ${event}: ${(e as Error).stack}`));
      });

    on('chat:subscribe', async (payload) => {
      const { groupId } = validatePayload(GroupRefDto, payload);
      const { isModerator, mutedUntil } = await this.chat.assertCanChat(user, groupId);
      await socket.join([
        groupRoom(groupId),
        ...(isModerator ? [moderatorsRoom(groupId)] : []),
        ...(mutedUntil ? [mutedRoom(groupId)] : []),
      ]);
      const online = await this.countOnline(groupId);
      this.queuePresence(groupId, online);
      return { ok: true, groupId, online: online ?? 0 };
    });

    on('chat:unsubscribe', async (payload) => {
      const { groupId } = validatePayload(GroupRefDto, payload);
      await socket.leave(groupRoom(groupId));
      await socket.leave(moderatorsRoom(groupId));
      await socket.leave(mutedRoom(groupId));
      this.queuePresence(groupId);
      return { ok: true };
    });

    on('chat:send', async (payload, afterAck) => {
      const input = validatePayload(SocketSendDto, payload, acceptedSend);
      // In the room and not muted: no access query. A muted member's send takes the full check
      // (refused while the mute runs; once it has ended, the mark goes).
      const muted = socket.rooms.has(mutedRoom(input.groupId));
      const subscribed = socket.rooms.has(groupRoom(input.groupId)) && !muted;
      const { message, answer, publish } = await this.chat.send(
        user,
        input,
        subscribed ? { isModerator: socket.rooms.has(moderatorsRoom(input.groupId)) } : undefined,
      );
      if (muted) await socket.leave(mutedRoom(input.groupId));
      // Stored, then acknowledged (the ack is sent as this handler's promise settles), then
      // broadcast.
      afterAck(publish);
      return { ok: true, message, ...answer };
    });

    on('chat:typing', async (payload) => {
      const { groupId } = validatePayload(GroupRefDto, payload);
      if (!socket.rooms.has(groupRoom(groupId)))
        throw new ChatException(ChatErrorCode.NotSubscribed);
      const now = Date.now();
      if (now - (lastTyping.get(groupId) ?? 0) >= TYPING_EVERY_MS) {
        lastTyping.set(groupId, now);
        socket
          .to(groupRoom(groupId))
          .emit('chat:typing', { groupId, user: { id: user.id, handle: user.handle } });
      }
      return { ok: true };
    });

    on('chat:read', async (payload) => {
      const { groupId, messageId } = validatePayload(ReadCursorDto, payload);
      await this.chat.markRead(user, groupId, messageId, socket.rooms.has(groupRoom(groupId)));
      return { ok: true };
    });

    // Unknown events are answered (when they ask for an answer) and otherwise ignored.
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (!KNOWN_EVENTS.has(event) && typeof ack === 'function') {
        (ack as AckFn)({
          ok: false,
          error: { status: 404, title: 'Unknown event', detail: `No event "${event}".` },
        });
      }
    });

    socket.on('disconnecting', () => {
      const groups = [...socket.rooms]
        .map((r) => GROUP_ROOM.exec(r)?.[1])
        .filter((g): g is string => !!g);
      // After the socket has left its rooms, tell each group how many remain.
      setImmediate(() => groups.forEach((g) => this.queuePresence(g)));
    });
  }

  /** A member whose membership ended leaves the room at once, on every process. */
  @OnEvent(MEMBERSHIP_ENDED)
  onMembershipEnded(event: MembershipEndedEvent): void {
    this.broadcaster.removeFromGroup(event.userId, event.groupId);
    this.queuePresence(event.groupId);
  }

  /** Suspension and erasure end every live socket of the member. */
  @OnEvent(USER_ACCESS_REVOKED)
  onAccessRevoked(event: UserAccessRevokedEvent): void {
    this.broadcaster.disconnectUser(event.userId);
  }

  /** After connection-state recovery: keep only the rooms the member may still be in. */
  private async recheckRooms(socket: ChatSocket): Promise<void> {
    for (const room of [...socket.rooms]) {
      const groupId = GROUP_ROOM.exec(room)?.[1];
      if (!groupId) continue;
      try {
        const { isModerator, mutedUntil } = await this.chat.assertCanChat(
          socket.data.user,
          groupId,
        );
        if (!isModerator) await socket.leave(moderatorsRoom(groupId));
        if (mutedUntil) await socket.join(mutedRoom(groupId));
      } catch {
        await socket.leave(room);
        await socket.leave(moderatorsRoom(groupId));
        await socket.leave(mutedRoom(groupId));
      }
    }
  }

  /**
   * Tells the room how many members are online: now when the group's last update is older than
   * PRESENCE_EVERY_MS (with `online` when the caller has just counted), else once at the end of
   * the window, counted then, whatever the number of changes meanwhile.
   */
  private queuePresence(groupId: string, online?: number): void {
    let state = this.presence.get(groupId);
    if (!state) this.presence.set(groupId, (state = { lastAt: 0 }));
    if (state.timer) return; // the trailing update will count this change too
    const wait = state.lastAt + PRESENCE_EVERY_MS - Date.now();
    if (wait <= 0) {
      state.lastAt = Date.now();
      void this.publishPresence(groupId, online);
      return;
    }
    const pending = state;
    pending.timer = setTimeout(() => {
      pending.timer = undefined;
      pending.lastAt = Date.now();
      void this.publishPresence(groupId);
    }, wait);
    pending.timer.unref();
  }

  private async publishPresence(groupId: string, known?: number): Promise<void> {
    const online = known ?? (await this.countOnline(groupId));
    if (online !== undefined)
      this.broadcaster.toGroup(groupId)?.emit('presence', { groupId, online });
  }

  /** Distinct members online, across processes; undefined when it cannot be counted now. */
  private async countOnline(groupId: string): Promise<number | undefined> {
    try {
      return await this.broadcaster.online(groupId);
    } catch (error) {
      // Presence is best-effort (another process may be unreachable for a moment).
      this.logger.warn(`presence of ${groupId} not published: ${(error as Error).message}`);
      return undefined;
    }
  }
}

const KNOWN_EVENTS = new Set<string>([
  'chat:subscribe',
  'chat:unsubscribe',
  'chat:send',
  'chat:typing',
  'chat:read',
]);

function tokenOf(auth: unknown): string | undefined {
  const token = (auth as { token?: unknown } | undefined)?.token;
  return typeof token === 'string' ? token : undefined;
}
