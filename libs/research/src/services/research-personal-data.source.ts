import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '@kinship/common';
import {
  type ErasureOutcome,
  type PersonalDataSource,
  PersonalDataRegistry,
  streamPages,
} from '@kinship/identity';
import {
  type AnswerExportRow,
  type ConsentExportRow,
  ResearchPersonalDataRepository,
} from '../repositories/research-personal-data.repository';

/**
 * Consents in the member's data export (every grant and withdrawal). On erasure every standing
 * consent is withdrawn, so no later metric or export holds the member.
 */
@Injectable()
export class ConsentPersonalData implements PersonalDataSource, OnModuleInit {
  readonly section = 'researchConsents';

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly repo: ResearchPersonalDataRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async *export(userId: string): AsyncIterable<object> {
    for await (const c of streamPages<ConsentExportRow>((after, size) =>
      this.repo.consents(userId, after, size),
    )) {
      const { id: _id, at, ...rest } = c;
      yield { ...rest, at: new Date(at).toISOString() };
    }
  }

  async erase(manager: EntityManager, userId: string): Promise<ErasureOutcome> {
    return {
      counts: { withdrawn: await this.repo.withdrawAll(manager, userId, this.clock.now()) },
    };
  }
}

/**
 * Survey answers in the member's data export. On erasure they are deleted: a patient's own
 * account of how they feel is theirs; exports made before the erasure cannot be recalled.
 */
@Injectable()
export class SurveyAnswerPersonalData implements PersonalDataSource, OnModuleInit {
  readonly section = 'surveyAnswers';

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly repo: ResearchPersonalDataRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async *export(userId: string): AsyncIterable<object> {
    for await (const a of streamPages<AnswerExportRow>((after, size) =>
      this.repo.answers(userId, after, size),
    )) {
      const { id: _id, submittedAt, ...rest } = a;
      yield { ...rest, submittedAt: new Date(submittedAt).toISOString() };
    }
  }

  async erase(manager: EntityManager, userId: string): Promise<ErasureOutcome> {
    return { counts: { deleted: await this.repo.deleteAnswers(manager, userId) } };
  }
}
