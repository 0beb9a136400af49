import { Injectable } from '@nestjs/common';
import type { Page, PageQueryDto } from '@kinship/common';
import { assertCanWrite, GroupAccessPolicy, mutedUntil } from '@kinship/communities';
import { EngagementRecorder } from '@kinship/engagement';
import { type AuthUser, UserService } from '@kinship/identity';
import {
  HeldReads,
  ModerationErrorCode,
  ModerationException,
  type Screening,
  ScreeningService,
} from '@kinship/moderation';
import { ChatErrorCode, ChatException } from './chat.exception';
import { ChatMessageRepository } from './chat-message.repository';
import { ChatMessageDto } from './dto/chat.dto';
import { MessageWriter } from './message-writer';
import { ChatBroadcaster } from './realtime/chat.broadcaster';

export interface SendResult {
  message: ChatMessageDto;
  /** False when this was a retry of a message already stored. */
  created: boolean;
  /** `screening` when held or flagged, `crisisResources` when crisis language was found. */
  answer: Screening['answer'];
  /** Broadcasts the new message (or shows held content to moderators): call after acknowledging. */
  publish: () => void;
}

@Injectable()
export class ChatService {
  constructor(
    private readonly policy: GroupAccessPolicy,
    private readonly messages: ChatMessageRepository,
    private readonly writer: MessageWriter,
    private readonly broadcaster: ChatBroadcaster,
    private readonly recorder: EngagementRecorder,
    private readonly users: UserService,
    private readonly screening: ScreeningService,
    private readonly heldReads: HeldReads,
  ) {}

  /**
   * Only active members chat (and staff who moderate): the same rule over sockets and REST.
   * Answers whether the caller moderates the group (their sockets also join its moderators' room)
   * and until when they are muted (a muted member reads, and cannot send).
   */
  async assertCanChat(
    user: AuthUser,
    groupId: string,
  ): Promise<{ isModerator: boolean; mutedUntil: Date | null }> {
    const access = await this.policy.view(groupId, user);
    if (access.membership?.status !== 'active' && !access.isModerator) assertCanWrite(access);
    return { isModerator: access.isModerator, mutedUntil: mutedUntil(access.membership) };
  }

  /**
   * Screens, stores, then acknowledges, then broadcasts. `subscribed` spares the access query
   * when the socket sits in the group's room (it leaves the room the moment its membership ends,
   * and a muted member's socket is sent through the full check).
   * Screening runs before the group commit (rules come from a per-process cache, so no query per
   * message); a held message is acknowledged to its author and shown to the group's moderators,
   * never broadcast to the room.
   */
  async send(
    user: AuthUser,
    input: { groupId: string; clientMsgId: string; body: string },
    subscribed?: { isModerator: boolean },
  ): Promise<SendResult> {
    let isModerator = subscribed?.isModerator ?? false;
    if (!subscribed) {
      const access = await this.policy.view(input.groupId, user);
      assertCanWrite(access);
      isModerator = access.isModerator;
    }
    let screening: Screening;
    try {
      screening = await this.screening.screen(input.groupId, [input.body], {
        userId: user.id,
        channel: 'chat',
        moderator: isModerator,
      });
    } catch (error) {
      // Slow mode refuses a new message, not the retry of one stored already.
      const retry =
        isSlowMode(error) && (await this.messages.findByClientId(user.id, input.clientMsgId));
      if (!retry || retry.groupId !== input.groupId) throw error;
      const dto = ChatMessageDto.of(retry, { id: user.id, handle: user.handle });
      return { message: dto, created: false, answer: {}, publish: () => undefined };
    }
    const { message, created, queued } = await this.writer.write(
      {
        groupId: input.groupId,
        authorId: user.id,
        clientMsgId: input.clientMsgId,
        body: input.body,
        status: screening.status,
      },
      screening,
    );
    if (message.groupId !== input.groupId) {
      throw new ChatException(
        ChatErrorCode.ClientMsgIdReused,
        'Use a new clientMsgId for every message.',
        [{ field: 'clientMsgId', message: 'was already used for a message in another group' }],
      );
    }
    const dto = ChatMessageDto.of(message, { id: user.id, handle: user.handle });
    const publish = () => {
      if (!created) return; // a retry: the room has it already
      if (message.status === 'published')
        this.broadcaster.toGroup(input.groupId)?.emit('chat:message', dto);
      this.screening.announce(queued, { message: dto });
    };
    return { message: dto, created, answer: created ? screening.answer : {}, publish };
  }

  async history(
    user: AuthUser,
    groupId: string,
    query: PageQueryDto,
  ): Promise<Page<ChatMessageDto>> {
    const { isModerator } = await this.assertCanChat(user, groupId);
    const page = await this.messages.history(groupId, user.id, query, isModerator);
    if (isModerator) {
      await this.heldReads.record(
        user,
        page.items
          .filter((m) => m.status === 'pending_review')
          .map((m) => ({ type: 'message' as const, id: m.id, groupId, authorId: m.authorId })),
        'chat-history',
      );
    }
    const authors = await this.users.publicProfiles(page.items.map((m) => m.authorId));
    return {
      items: page.items.map((m) =>
        ChatMessageDto.of(m, authors.get(m.authorId) ?? { id: m.authorId, handle: '' }),
      ),
      nextCursor: page.nextCursor,
    };
  }

  /** Advances the member's read cursor; a forward move is a `chat_read` for the event log. */
  async markRead(
    user: AuthUser,
    groupId: string,
    messageId: string,
    alreadyAllowed = false,
  ): Promise<void> {
    if (!alreadyAllowed) await this.assertCanChat(user, groupId);
    const message = await this.messages.findInGroup(groupId, messageId);
    if (!message || (message.status !== 'published' && message.authorId !== user.id)) {
      throw new ChatException(ChatErrorCode.MessageNotFound);
    }
    if (await this.messages.advanceReadCursor(groupId, user.id, message)) {
      this.recorder.read('chat_read', user.id, groupId, groupId);
    }
  }
}

function isSlowMode(error: unknown): boolean {
  return error instanceof ModerationException && error.code === ModerationErrorCode.SlowMode;
}
