import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from '@kinship/database';
import type { AuthUser } from '@kinship/identity';
import { AuditLog } from './audit-log';

export interface HeldItemRead {
  type: 'post' | 'message';
  id: string;
  groupId: string;
  authorId: string;
}

/**
 * Every time a moderator is shown held content (the queue, a thread, a page of posts, chat
 * history), the log records it: who read which held item, where. Written before the content is
 * answered: when the entry cannot be written, the read fails too.
 */
@Injectable()
export class HeldReads {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async record(reader: AuthUser, items: HeldItemRead[], via: string): Promise<void> {
    // Authors reading their own held posts are not moderators reading.
    const read = items.filter((i) => i.authorId !== reader.id);
    if (!read.length) return;
    await inTransaction(this.dataSource, (manager) =>
      this.audit.appendAll(
        manager,
        read.map((i) => ({
          actorId: reader.id,
          action: 'held.read',
          targetType: i.type,
          targetId: i.id,
          groupId: i.groupId,
          details: { via },
        })),
      ),
    );
  }
}
