import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type ErasureOutcome,
  type PersonalDataSource,
  PersonalDataRegistry,
  streamPages,
} from '@kinship/identity';
import {
  ReportPersonalDataRepository,
  type ReportExportRow,
} from '../repositories/report-personal-data.repository';

/**
 * Reports the member filed (who resolved them and why is the moderators' business, not listed).
 * On erasure they stay in the queue and its history, no longer linked to the member.
 */
@Injectable()
export class ReportPersonalData implements PersonalDataSource, OnModuleInit {
  readonly section = 'reports';
  readonly rank = 40;

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly repo: ReportPersonalDataRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async *export(userId: string): AsyncIterable<object> {
    const rows = streamPages<ReportExportRow>((after, n) => this.repo.filedBy(userId, after, n));
    for await (const r of rows) {
      yield {
        id: r.id,
        targetType: r.targetType,
        targetId: r.targetId,
        reason: r.reason,
        details: r.details,
        status: r.status,
        createdAt: r.createdAt.toISOString(),
        resolvedAt: r.resolvedAt?.toISOString() ?? null,
        resolution: r.resolution,
      };
    }
  }

  async erase(manager: EntityManager, userId: string): Promise<ErasureOutcome> {
    return { counts: { unlinked: await this.repo.forgetReporter(userId, manager) } };
  }
}
