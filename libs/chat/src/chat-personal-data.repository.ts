import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface MessageExportRow {
  seq: string;
  id: string;
  groupId: string;
  clientMsgId: string;
  body: string;
  status: string;
  createdAt: Date;
}

/** A member's chat messages and read positions: their data export, and their erasure. */
@Injectable()
export class ChatPersonalDataRepository {
  constructor(private readonly dataSource: DataSource) {}

  messages(
    userId: string,
    after: MessageExportRow | undefined,
    size: number,
  ): Promise<MessageExportRow[]> {
    return this.dataSource.query(
      `SELECT seq::text AS seq, id, group_id AS "groupId", client_msg_id AS "clientMsgId", body,
              status, created_at AS "createdAt"
         FROM chat_messages
        WHERE author_id = $1 AND seq > $2::bigint ORDER BY seq LIMIT $3`,
      [userId, after?.seq ?? '0', size],
    );
  }

  readPositions(
    userId: string,
  ): Promise<{ groupId: string; messageId: string; updatedAt: Date }[]> {
    return this.dataSource.query(
      `SELECT group_id AS "groupId", message_id AS "messageId", updated_at AS "updatedAt"
         FROM chat_read_cursors WHERE user_id = $1 ORDER BY updated_at, group_id`,
      [userId],
    );
  }

  /**
   * Removes every message of the member (text wiped, status `removed`: gone from history) and
   * answers how many, with the most recent ones that were visible, for live clients.
   */
  async eraseMessages(
    userId: string,
    recent: number,
    manager: EntityManager,
  ): Promise<{ removed: number; visible: { id: string; groupId: string }[] }> {
    const visible: { id: string; groupId: string }[] = await manager.query(
      `SELECT id, group_id AS "groupId" FROM chat_messages
        WHERE author_id = $1 AND status = 'published' ORDER BY seq DESC LIMIT $2`,
      [userId, recent],
    );
    const [, removed] = (await manager.query(
      `UPDATE chat_messages SET body = '', status = 'removed'
        WHERE author_id = $1 AND (body <> '' OR status <> 'removed')`,
      [userId],
    )) as [unknown, number];
    return { removed, visible };
  }

  async eraseReadPositions(userId: string, manager: EntityManager): Promise<number> {
    const [, removed] = (await manager.query('DELETE FROM chat_read_cursors WHERE user_id = $1', [
      userId,
    ])) as [unknown, number];
    return removed;
  }
}
