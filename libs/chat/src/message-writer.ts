import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { inTransaction } from '@kinship/database';
import type { ModerationReportEntity, Screening } from '@kinship/moderation';
import { ScreeningService } from '@kinship/moderation';
import { ChatErrorCode, ChatException } from './chat.exception';
import { ChatMessageRepository, type NewChatMessage } from './chat-message.repository';
import type { ChatMessageEntity } from './entities/chat-message.entity';

export interface WriteResult {
  message: ChatMessageEntity;
  created: boolean;
  /** The queue item when screening held or flagged the new message (announce after commit). */
  queued?: ModerationReportEntity;
}

interface Pending {
  message: NewChatMessage;
  screening?: Screening;
  resolve: (result: WriteResult) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 500;

/**
 * Group commit: sends that arrive while a batch is being written wait for the next one, and
 * then share it (one multi-row INSERT with its engagement events). Under load a batch grows with
 * the load, so a room sustains thousands of acknowledged messages a second; when quiet a message
 * is written at once. Every promise settles only after its batch committed.
 */
@Injectable()
export class MessageWriter implements BeforeApplicationShutdown {
  private queue: Pending[] = [];
  private writing?: Promise<void>;
  private closed = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly messages: ChatMessageRepository,
    private readonly screening: ScreeningService,
  ) {}

  /** `screening` was done before (off the batch); held and flagged messages are queued in it. */
  write(message: NewChatMessage, screening?: Screening): Promise<WriteResult> {
    // While shutting down, new sends are refused (the client retries on another process) and
    // the ones already accepted are written.
    if (this.closed) return Promise.reject(new ChatException(ChatErrorCode.ShuttingDown));
    return new Promise((resolve, reject) => {
      this.queue.push({ message, screening, resolve, reject });
      this.kick();
    });
  }

  /** Shutdown waits for what was accepted to be written. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    while (this.writing || this.queue.length) {
      this.kick();
      await this.writing;
    }
  }

  private kick(): void {
    if (this.writing || !this.queue.length) return;
    const batch = this.queue.splice(0, MAX_BATCH);
    this.writing = this.writeBatch(batch).finally(() => {
      this.writing = undefined;
      this.kick();
    });
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    try {
      // Most batches only publish: one statement writes the messages and their engagement
      // events, without a transaction around it (one round trip instead of four). A held or
      // flagged message also needs its queue item, written in the same transaction.
      const queues = batch.some((p) => p.screening && p.screening.result.action !== 'publish');
      const results = queues
        ? await inTransaction(this.dataSource, (manager) => this.store(batch, manager))
        : await this.store(batch, this.dataSource.manager);
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }

  private async store(batch: Pending[], manager: EntityManager): Promise<WriteResult[]> {
    const inserted = await this.messages.insertMany(
      batch.map((p) => p.message),
      manager,
    );
    const key = (authorId: string, clientMsgId: string) => `${authorId}|${clientMsgId}`;
    const created = new Map(inserted.map((m) => [key(m.authorId, m.clientMsgId), m]));
    const missing = batch.filter(
      (p) => !created.has(key(p.message.authorId, p.message.clientMsgId)),
    );
    const existing = new Map(
      (
        await this.messages.findByClientIds(
          missing.map((p) => p.message),
          manager,
        )
      ).map((m) => [key(m.authorId, m.clientMsgId), m]),
    );
    // A retry inside one batch: the first send creates, the others get the same message.
    const handedOut = new Set<string>();
    const results: WriteResult[] = [];
    for (const p of batch) {
      const k = key(p.message.authorId, p.message.clientMsgId);
      const fresh = created.get(k);
      if (fresh && !handedOut.has(k)) {
        handedOut.add(k);
        const queued =
          p.screening && p.screening.result.action !== 'publish'
            ? await this.screening.record(manager, p.screening, {
                groupId: fresh.groupId,
                type: 'message',
                id: fresh.id,
              })
            : undefined;
        results.push({ message: fresh, created: true, queued });
      } else {
        results.push({ message: (fresh ?? existing.get(k))!, created: false });
      }
    }
    return results;
  }
}
