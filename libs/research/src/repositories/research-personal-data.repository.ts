import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ConsentRecordEntity, ParticipantEntity } from '../entities/consent.entity';
import { SurveyResponseEntity } from '../entities/survey.entity';

export interface ConsentExportRow {
  id: string;
  studyId: string;
  studyTitle: string;
  granted: boolean;
  consentVersion: string;
  at: Date;
}

export interface AnswerExportRow {
  id: string;
  studyId: string;
  studyTitle: string;
  surveyTitle: string;
  wave: string;
  answers: Record<string, number>;
  submittedAt: Date;
}

/** A member's research data, for their data export and their erasure. */
@Injectable()
export class ResearchPersonalDataRepository {
  constructor(private readonly dataSource: DataSource) {}

  consents(
    userId: string,
    after: ConsentExportRow | undefined,
    size: number,
  ): Promise<ConsentExportRow[]> {
    return this.dataSource
      .getRepository(ConsentRecordEntity)
      .createQueryBuilder('c')
      .innerJoin('c.study', 's')
      .select(['c.id AS "id"', 'c.study_id AS "studyId"', 's.title AS "studyTitle"'])
      .addSelect([
        'c.granted AS "granted"',
        'c.consent_version AS "consentVersion"',
        'c.at AS "at"',
      ])
      .where('c.user_id = :userId', { userId })
      .andWhere(after ? 'c.id > :after' : 'TRUE', { after: after?.id })
      .orderBy('c.id', 'ASC')
      .limit(size)
      .getRawMany<ConsentExportRow>();
  }

  answers(
    userId: string,
    after: AnswerExportRow | undefined,
    size: number,
  ): Promise<AnswerExportRow[]> {
    return this.dataSource
      .getRepository(SurveyResponseEntity)
      .createQueryBuilder('r')
      .innerJoin('r.survey', 'v')
      .innerJoin('research_studies', 's', 's.id = r.study_id')
      .select(['r.id AS "id"', 'r.study_id AS "studyId"', 's.title AS "studyTitle"'])
      .addSelect(['v.title AS "surveyTitle"', 'v.wave AS "wave"', 'r.answers AS "answers"'])
      .addSelect('r.submitted_at AS "submittedAt"')
      .where('r.user_id = :userId', { userId })
      .andWhere(after ? 'r.id > :after' : 'TRUE', { after: after?.id })
      .orderBy('r.id', 'ASC')
      .limit(size)
      .getRawMany<AnswerExportRow>();
  }

  /** Withdraws every standing consent (appending each withdrawal to the history). */
  async withdrawAll(manager: EntityManager, userId: string, at: Date): Promise<number> {
    const standing = await manager
      .getRepository(ParticipantEntity)
      .findBy({ userId, granted: true });
    for (const p of standing) {
      await manager
        .getRepository(ParticipantEntity)
        .update({ studyId: p.studyId, userId }, { granted: false, withdrawnAt: at });
      await manager.getRepository(ConsentRecordEntity).insert({
        studyId: p.studyId,
        userId,
        granted: false,
        consentVersion: p.consentVersion,
        at,
      });
    }
    return standing.length;
  }

  async deleteAnswers(manager: EntityManager, userId: string): Promise<number> {
    const result = await manager.getRepository(SurveyResponseEntity).delete({ userId });
    return result.affected ?? 0;
  }
}
