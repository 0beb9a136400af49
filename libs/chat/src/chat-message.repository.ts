import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  CommonException,
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  encodeCursor,
  type Page,
  type PageQueryDto,
} from '@kinship/common';
import { queryPrepared } from '@kinship/database';
import { EngagementRecorder } from '@kinship/engagement';
import { ChatMessageEntity } from './entities/chat-message.entity';

export interface NewChatMessage {
  groupId: string;
  authorId: string;
  clientMsgId: string;
  body: string;
  /** `pending_review` when screening held it. */
  status: 'published' | 'pending_review';
}

// `seq` goes out as text (bigint exceeds JS numbers); sort by `chat_messages.seq`, the column:
// a bare `ORDER BY seq` would sort the text alias ('9' after '10').
const COLUMNS = `id, seq::text AS seq, group_id AS "groupId", author_id AS "authorId",
  client_msg_id AS "clientMsgId", body, status, created_at AS "createdAt"`;

// The group's chat is the conversation of a message (a reply is a later message by another).
const INSERT_MESSAGES = `WITH made AS (
    INSERT INTO chat_messages (group_id, author_id, client_msg_id, body, status)
    SELECT group_id, author_id, client_msg_id, body, status
      FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::varchar[], $5::varchar[])
           WITH ORDINALITY AS v (group_id, author_id, client_msg_id, body, status, ord)
     ORDER BY ord
    ON CONFLICT (author_id, client_msg_id) DO NOTHING
    RETURNING ${COLUMNS}
  ), events AS (${EngagementRecorder.eventsFrom('made', 'chat_message_sent', {
    userId: '"authorId"',
    groupId: '"groupId"',
    objectId: 'id',
    contextId: '"groupId"',
    occurredAt: '"createdAt"',
  })})
  SELECT * FROM made`;

/** The only place that reads or writes chat messages and read cursors. */
@Injectable()
export class ChatMessageRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Inserts many messages and their `chat_message_sent` engagement events in one statement, in
   * order: atomic even outside a transaction, and one round trip. A (author, clientMsgId) that
   * exists already is skipped (and gets no event); the caller looks those up. Returns the rows
   * actually inserted. The batch goes as arrays, so the text never changes and the statement is
   * prepared once per connection (a third of PostgreSQL's CPU per batch; bench/README.md "Chat").
   */
  async insertMany(rows: NewChatMessage[], manager: EntityManager): Promise<ChatMessageEntity[]> {
    return queryPrepared<ChatMessageEntity>(manager, 'chat_insert_messages', INSERT_MESSAGES, [
      rows.map((r) => r.groupId),
      rows.map((r) => r.authorId),
      rows.map((r) => r.clientMsgId),
      rows.map((r) => r.body),
      rows.map((r) => r.status),
    ]);
  }

  async findByClientIds(
    keys: { authorId: string; clientMsgId: string }[],
    manager: EntityManager,
  ): Promise<ChatMessageEntity[]> {
    if (!keys.length) return [];
    const params: unknown[] = [];
    const pairs = keys.map((k) => {
      const n = params.push(k.authorId, k.clientMsgId);
      return `($${n - 1}::uuid, $${n}::uuid)`;
    });
    return manager.query(
      `SELECT ${COLUMNS} FROM chat_messages WHERE (author_id, client_msg_id) IN (${pairs.join(', ')})`,
      params,
    );
  }

  async findByClientId(
    authorId: string,
    clientMsgId: string,
  ): Promise<ChatMessageEntity | undefined> {
    const rows: ChatMessageEntity[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM chat_messages WHERE author_id = $1 AND client_msg_id = $2`,
      [authorId, clientMsgId],
    );
    return rows[0];
  }

  /** Whether the author has a published message in the group (first-post approval). */
  async hasPublished(groupId: string, authorId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM chat_messages WHERE author_id = $1 AND group_id = $2 AND status = 'published'
        LIMIT 1`,
      [authorId, groupId],
    );
    return rows.length > 0;
  }

  async findInGroup(groupId: string, messageId: string): Promise<ChatMessageEntity | undefined> {
    const rows: ChatMessageEntity[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM chat_messages WHERE id = $1 AND group_id = $2`,
      [messageId, groupId],
    );
    return rows[0];
  }

  async findById(id: string, manager?: EntityManager): Promise<ChatMessageEntity | undefined> {
    const rows: ChatMessageEntity[] = await (manager ?? this.dataSource).query(
      `SELECT ${COLUMNS} FROM chat_messages WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  async findByIds(ids: string[]): Promise<ChatMessageEntity[]> {
    if (!ids.length) return [];
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM chat_messages WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  async setStatus(id: string, status: string, manager: EntityManager): Promise<void> {
    await manager.query('UPDATE chat_messages SET status = $2 WHERE id = $1', [id, status]);
  }

  /** The published messages just before and just after one (moderation context). */
  async neighbours(message: ChatMessageEntity): Promise<ChatMessageEntity[]> {
    return this.dataSource.query(
      `(SELECT ${COLUMNS} FROM chat_messages WHERE group_id = $1 AND seq < $2 AND status = 'published'
         ORDER BY chat_messages.seq DESC LIMIT 1)
       UNION ALL
       (SELECT ${COLUMNS} FROM chat_messages WHERE group_id = $1 AND seq > $2 AND status = 'published'
         ORDER BY chat_messages.seq LIMIT 1)`,
      [message.groupId, message.seq],
    );
  }

  /** Newest first; published messages, plus held ones to their author (all of them to moderators). */
  async history(
    groupId: string,
    viewerId: string,
    query: PageQueryDto,
    isModerator = false,
  ): Promise<Page<ChatMessageEntity>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const params: unknown[] = [groupId, viewerId, limit + 1];
    let before = '';
    if (query.cursor) {
      const [seq] = decodeCursor(query.cursor, 1);
      if (!/^\d{1,19}$/.test(String(seq))) {
        throw CommonException.validation([
          { field: 'cursor', message: 'is not a cursor this list issued' },
        ]);
      }
      params.push(String(seq));
      before = 'AND seq < $4::bigint';
    }
    const rows: ChatMessageEntity[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM chat_messages
        WHERE group_id = $1 AND (status = 'published' OR (status = 'pending_review' AND (author_id = $2 OR ${isModerator ? 'true' : 'false'}))) ${before}
        ORDER BY chat_messages.seq DESC LIMIT $3`,
      params,
    );
    const items = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? encodeCursor([items[items.length - 1].seq]) : null;
    return { items, nextCursor };
  }

  /** Moves the member's read cursor forward; false when it was already at or past the message. */
  async advanceReadCursor(
    groupId: string,
    userId: string,
    message: ChatMessageEntity,
  ): Promise<boolean> {
    const result: unknown[] = await this.dataSource.query(
      `INSERT INTO chat_read_cursors (group_id, user_id, message_id, message_seq, updated_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (group_id, user_id) DO UPDATE
         SET message_id = EXCLUDED.message_id, message_seq = EXCLUDED.message_seq, updated_at = now()
       WHERE chat_read_cursors.message_seq < EXCLUDED.message_seq
       RETURNING 1`,
      [groupId, userId, message.id, message.seq],
    );
    return result.length > 0;
  }
}
