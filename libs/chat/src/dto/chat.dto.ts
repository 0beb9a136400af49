import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsString,
  isString,
  IsUUID,
  isUUID,
  MaxLength,
  maxLength,
  MinLength,
  minLength,
} from 'class-validator';
import type { ChatMessageEntity } from '../entities/chat-message.entity';
import type { ChatAuthor, ChatMessagePayload } from '../realtime/chat.events';

export const CHAT_BODY_MAX = 4000;

export class SendMessageDto {
  @ApiProperty({
    format: 'uuid',
    description: 'Chosen by the client; a retry with the same id returns the stored message.',
  })
  @IsUUID('all', { message: 'must be a UUID' })
  clientMsgId: string;

  @ApiProperty({ minLength: 1, maxLength: CHAT_BODY_MAX })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(CHAT_BODY_MAX)
  body: string;
}

/** Socket payloads carry the group in the body; REST twins take it from the path. */
export class SocketSendDto extends SendMessageDto {
  @IsUUID('all', { message: 'must be a UUID' })
  groupId: string;
}

const SEND_KEYS = new Set(['groupId', 'clientMsgId', 'body']);

/**
 * The common chat:send payload, checked with the very predicates of SocketSendDto's decorators
 * (the body trimmed as its @Transform does), without class-transformer and class-validator's
 * walk over every registered class: ~10 µs instead of ~100 µs a message. Undefined for anything
 * else, which then goes through the full validation for its errors; a property test holds the two
 * to the same answers (chat.dto.spec.ts).
 */
export function acceptedSend(payload: object): SocketSendDto | undefined {
  const keys = Object.keys(payload);
  if (keys.length !== SEND_KEYS.size || !keys.every((k) => SEND_KEYS.has(k))) return undefined;
  const { groupId, clientMsgId, body } = payload as Record<string, unknown>;
  if (!isString(body)) return undefined;
  const trimmed = body.trim();
  return isUUID(groupId, 'all') &&
    isUUID(clientMsgId, 'all') &&
    minLength(trimmed, 1) &&
    maxLength(trimmed, CHAT_BODY_MAX)
    ? { groupId: groupId as string, clientMsgId: clientMsgId as string, body: trimmed }
    : undefined;
}

export class GroupRefDto {
  @IsUUID('all', { message: 'must be a UUID' })
  groupId: string;
}

export class ReadCursorDto extends GroupRefDto {
  @IsUUID('all', { message: 'must be a UUID' })
  messageId: string;
}

class ChatAuthorDto implements ChatAuthor {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() handle: string;
}

export class ChatMessageDto implements ChatMessagePayload {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) groupId: string;
  @ApiProperty({ type: ChatAuthorDto }) author: ChatAuthorDto;
  @ApiProperty() body: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'uuid' }) clientMsgId: string;
  @ApiProperty({
    enum: ['published', 'pending_review'],
    description: '`pending_review`: held by screening, seen only by its author and moderators.',
  })
  status: string;

  static of(m: ChatMessageEntity, author: ChatAuthor): ChatMessageDto {
    return {
      id: m.id,
      groupId: m.groupId,
      author,
      body: m.body,
      createdAt: new Date(m.createdAt).toISOString(),
      clientMsgId: m.clientMsgId,
      status: m.status,
    };
  }
}

/** The answer to a send: the message, plus what screening adds (held, flagged, crisis help). */
export class SentMessageDto extends ChatMessageDto {
  @ApiPropertyOptional({ description: 'When screening held or flagged it: `{action, category}`.' })
  screening?: { action: 'hold' | 'flag'; category: string; detail?: string };

  @ApiPropertyOptional({
    description: 'When crisis language was found: `[{name, contact, url?}]`.',
  })
  crisisResources?: { name: string; contact: string; url?: string }[];
}

export class ChatMessagePageDto {
  @ApiProperty({ type: [ChatMessageDto] }) items: ChatMessageDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
