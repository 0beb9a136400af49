import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type ErasureOutcome,
  type PersonalDataSource,
  PersonalDataRegistry,
  streamPages,
} from '@kinship/identity';
import { ChatPersonalDataRepository, type MessageExportRow } from './chat-personal-data.repository';
import { ChatBroadcaster } from './realtime/chat.broadcaster';

/** Open chat windows are told to drop at most this many of an erased member's latest messages. */
const LIVE_REMOVALS = 500;

/**
 * The member's chat messages. On erasure each one is removed (text wiped, gone from history at
 * once); clients with the chat open get `chat:removed` for the most recent ones.
 */
@Injectable()
export class ChatMessagePersonalData implements PersonalDataSource, OnModuleInit {
  readonly section = 'chatMessages';
  readonly rank = 30;

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly repo: ChatPersonalDataRepository,
    private readonly broadcaster: ChatBroadcaster,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async *export(userId: string): AsyncIterable<object> {
    const rows = streamPages<MessageExportRow>((after, n) => this.repo.messages(userId, after, n));
    for await (const m of rows) {
      yield {
        id: m.id,
        groupId: m.groupId,
        clientMsgId: m.clientMsgId,
        body: m.body,
        status: m.status,
        createdAt: new Date(m.createdAt).toISOString(),
      };
    }
  }

  async erase(manager: EntityManager, userId: string): Promise<ErasureOutcome> {
    const { removed, visible } = await this.repo.eraseMessages(userId, LIVE_REMOVALS, manager);
    return {
      counts: { removed },
      afterCommit: () => {
        for (const m of visible) {
          this.broadcaster.toGroup(m.groupId)?.emit('chat:removed', {
            groupId: m.groupId,
            messageId: m.id,
          });
        }
      },
    };
  }
}

/** How far the member read each group's chat; erased with the account. */
@Injectable()
export class ChatReadPositionPersonalData implements PersonalDataSource, OnModuleInit {
  readonly section = 'chatReadPositions';
  readonly rank = 31;

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly repo: ChatPersonalDataRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async *export(userId: string): AsyncIterable<object> {
    for (const r of await this.repo.readPositions(userId)) {
      yield { groupId: r.groupId, messageId: r.messageId, updatedAt: r.updatedAt.toISOString() };
    }
  }

  async erase(manager: EntityManager, userId: string): Promise<ErasureOutcome> {
    return { counts: { removed: await this.repo.eraseReadPositions(userId, manager) } };
  }
}
