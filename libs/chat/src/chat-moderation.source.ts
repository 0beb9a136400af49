import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '@kinship/identity';
import {
  type ContentSource,
  ContentRegistry,
  type ModeratedContent,
  type ModerationStatus,
} from '@kinship/moderation';
import { ChatMessageRepository } from './chat-message.repository';
import { ChatService } from './chat.service';
import { ChatMessageDto } from './dto/chat.dto';
import type { ChatMessageEntity } from './entities/chat-message.entity';
import { ChatBroadcaster } from './realtime/chat.broadcaster';
import { UserService } from '@kinship/identity';

const toContent = (m: ChatMessageEntity): ModeratedContent => ({
  id: m.id,
  type: 'message',
  groupId: m.groupId,
  authorId: m.authorId,
  status: m.status,
});

/** Lets moderation see, judge and decide on chat messages without our tables. */
@Injectable()
export class MessageModerationSource implements ContentSource, OnModuleInit {
  readonly type = 'message' as const;

  constructor(
    private readonly registry: ContentRegistry,
    private readonly messages: ChatMessageRepository,
    private readonly chat: ChatService,
    private readonly broadcaster: ChatBroadcaster,
    private readonly users: UserService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  /** Chat is for active members: they may report what they can read in it. */
  async findVisible(id: string, user: AuthUser): Promise<ModeratedContent | null> {
    const message = await this.messages.findById(id);
    if (!message) return null;
    const access = await this.chat.assertCanChat(user, message.groupId).catch(() => null);
    if (!access) return null;
    const visible =
      message.status === 'published' ||
      (message.status === 'pending_review' && (access.isModerator || message.authorId === user.id));
    return visible ? toContent(message) : null;
  }

  async find(id: string, manager?: EntityManager): Promise<ModeratedContent | null> {
    const message = await this.messages.findById(id, manager);
    return message ? toContent(message) : null;
  }

  /** The message and the published ones just before and after it. */
  async context(ids: string[]): Promise<Map<string, Record<string, unknown>>> {
    const messages = await this.messages.findByIds(ids);
    // One indexed query per message for its neighbours (two LIMIT 1 lookups), run together;
    // the authors of all of them in one query.
    const around = await Promise.all(messages.map((m) => this.messages.neighbours(m)));
    const authors = await this.users.publicProfiles(
      [...messages, ...around.flat()].map((m) => m.authorId),
    );
    const dto = (m: ChatMessageEntity) =>
      ChatMessageDto.of(m, authors.get(m.authorId) ?? { id: m.authorId, handle: '' });
    return new Map(
      messages.map((message, i) => [
        message.id,
        {
          message: dto(message),
          before: around[i].filter((m) => BigInt(m.seq) < BigInt(message.seq)).map(dto),
          after: around[i].filter((m) => BigInt(m.seq) > BigInt(message.seq)).map(dto),
        },
      ]),
    );
  }

  setStatus(id: string, status: ModerationStatus, manager: EntityManager): Promise<void> {
    return this.messages.setStatus(id, status, manager);
  }

  hasPublished(groupId: string, authorId: string): Promise<boolean> {
    return this.messages.hasPublished(groupId, authorId);
  }

  /**
   * Readers follow at once: an approved or restored message reaches the room as if just sent; a
   * hidden or removed one is taken back with `chat:removed`.
   */
  async afterStatusChange(content: ModeratedContent, status: ModerationStatus): Promise<void> {
    const room = this.broadcaster.toGroup(content.groupId);
    if (status !== 'published') {
      room?.emit('chat:removed', { groupId: content.groupId, messageId: content.id });
      return;
    }
    const message = await this.messages.findById(content.id);
    if (!message || message.status !== 'published') return;
    const authors = await this.users.publicProfiles([message.authorId]);
    const dto = ChatMessageDto.of(
      message,
      authors.get(message.authorId) ?? { id: message.authorId, handle: '' },
    );
    room?.emit('chat:message', dto);
  }
}
