import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import { EngagementRecorder } from '@kinship/engagement';
import {
  type ErasureOutcome,
  type PersonalDataSource,
  PersonalDataRegistry,
  streamPages,
} from '@kinship/identity';
import { MEMBERSHIP_ENDED, type MembershipEndedEvent } from '../communities.events';
import {
  type MembershipExportRow,
  MembershipPersonalDataRepository,
} from '../repositories/membership-personal-data.repository';

/** Memberships in the member's data export; on erasure every membership ends (`group_left`). */
@Injectable()
export class MembershipPersonalData implements PersonalDataSource, OnModuleInit {
  readonly section = 'memberships';
  readonly rank = 10;

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly repo: MembershipPersonalDataRepository,
    private readonly recorder: EngagementRecorder,
    private readonly events: EventEmitter2,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async *export(userId: string): AsyncIterable<object> {
    const rows = streamPages<MembershipExportRow>((after, size) =>
      this.repo.page(userId, after, size),
    );
    for await (const m of rows) {
      yield {
        groupId: m.groupId,
        groupName: m.groupName,
        condition: m.condition,
        status: m.status,
        role: m.role,
        requestedAt: m.requestedAt.toISOString(),
        joinedAt: m.joinedAt?.toISOString() ?? null,
        leftAt: m.leftAt?.toISOString() ?? null,
        createdTheGroup: m.createdByMember,
      };
    }
  }

  async erase(manager: EntityManager, userId: string): Promise<ErasureOutcome> {
    const { active, pending } = await this.repo.endAll(userId, manager);
    await this.recorder.recordMany(
      manager,
      active.map((groupId) => ({
        userId,
        groupId,
        kind: 'group_left' as const,
        objectId: groupId,
      })),
    );
    return {
      counts: { ended: active.length, requestsWithdrawn: pending },
      afterCommit: () => {
        for (const groupId of active) {
          this.events.emit(MEMBERSHIP_ENDED, { groupId, userId } satisfies MembershipEndedEvent);
        }
      },
    };
  }
}
