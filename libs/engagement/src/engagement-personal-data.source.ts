import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type ErasureOutcome,
  type PersonalDataSource,
  PersonalDataRegistry,
  streamPages,
} from '@kinship/identity';
import {
  EngagementPersonalDataRepository,
  type EventExportRow,
} from './engagement-personal-data.repository';

/**
 * The member's engagement events in their export. On erasure the events stay, linked only to the
 * now anonymous account id (no email, handle or password is left behind it), so group metrics
 * of the past stay correct; studies drop the member with their consent (README, "Privacy and
 * security"). The read-dedup marks, bookkeeping only, go.
 */
@Injectable()
export class EngagementPersonalData implements PersonalDataSource, OnModuleInit {
  readonly section = 'engagementEvents';
  readonly rank = 90;

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly repo: EngagementPersonalDataRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async *export(userId: string): AsyncIterable<object> {
    const rows = streamPages<EventExportRow>((after, n) => this.repo.events(userId, after, n));
    for await (const e of rows) {
      yield {
        kind: e.kind,
        groupId: e.groupId,
        objectId: e.objectId,
        occurredAt: e.occurredAt.toISOString(),
      };
    }
  }

  async erase(manager: EntityManager, userId: string): Promise<ErasureOutcome> {
    return { counts: { readMarksRemoved: await this.repo.deleteReadMarks(userId, manager) } };
  }
}
