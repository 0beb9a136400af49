import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { type Page, type PageQueryDto, paginate } from '@kinship/common';
import { SurveyEntity, SurveyResponseEntity } from '../entities/survey.entity';

const BY_CREATION = [
  {
    expression: 's.created_at',
    cast: 'timestamptz' as const,
    toCursor: (s: SurveyEntity) => s.createdAt.toISOString(),
  },
  { expression: 's.id', cast: 'uuid' as const, toCursor: (s: SurveyEntity) => s.id },
];

/** The only place that reads or writes surveys and their responses. */
@Injectable()
export class SurveyRepository {
  constructor(
    @InjectRepository(SurveyEntity) private readonly surveys: Repository<SurveyEntity>,
    @InjectRepository(SurveyResponseEntity)
    private readonly responses: Repository<SurveyResponseEntity>,
  ) {}

  async insert(data: Partial<SurveyEntity>, manager: EntityManager): Promise<SurveyEntity> {
    const repo = manager.getRepository(SurveyEntity);
    return repo.save(repo.create(data));
  }

  /** Surveys of the study so far (the caller holds the study's lock). */
  count(studyId: string, manager: EntityManager): Promise<number> {
    return manager.getRepository(SurveyEntity).countBy({ studyId });
  }

  findById(id: string): Promise<SurveyEntity | null> {
    return this.surveys.findOneBy({ id });
  }

  /** A study's surveys, oldest first. */
  listForStudy(studyId: string, query: PageQueryDto): Promise<Page<SurveyEntity>> {
    const qb = this.surveys.createQueryBuilder('s').where('s.study_id = :studyId', { studyId });
    return paginate(qb, query, BY_CREATION, 'ASC');
  }

  /** Surveys of open studies the user consented to and has not answered, oldest first. */
  pendingFor(userId: string, query: PageQueryDto): Promise<Page<SurveyEntity>> {
    const qb = this.surveys
      .createQueryBuilder('s')
      .innerJoin('research_studies', 'st', "st.id = s.study_id AND st.status = 'open'")
      .innerJoin(
        'research_participants',
        'p',
        'p.study_id = s.study_id AND p.user_id = :userId AND p.granted',
        { userId },
      )
      .where(
        `NOT EXISTS (SELECT 1 FROM research_survey_responses r
                      WHERE r.survey_id = s.id AND r.user_id = :userId)`,
        { userId },
      );
    return paginate(qb, query, BY_CREATION, 'ASC');
  }

  insertResponse(
    data: Partial<SurveyResponseEntity>,
    manager: EntityManager,
  ): Promise<SurveyResponseEntity> {
    const repo = manager.getRepository(SurveyResponseEntity);
    return repo.save(repo.create(data));
  }

  answered(surveyId: string, userId: string, manager: EntityManager): Promise<boolean> {
    return manager.getRepository(SurveyResponseEntity).existsBy({ surveyId, userId });
  }

  /** Every survey of a study (small: at most a few dozen), for exports. */
  allOfStudy(studyId: string): Promise<SurveyEntity[]> {
    return this.surveys.find({ where: { studyId }, order: { code: 'ASC' } });
  }

  /** One batch of a study's responses in submission order, after the given one. */
  responsesAfter(
    studyId: string,
    after: { submittedAt: Date; id: string } | null,
    limit: number,
  ): Promise<SurveyResponseEntity[]> {
    const qb = this.responses
      .createQueryBuilder('r')
      .where('r.study_id = :studyId', { studyId })
      .orderBy('r.submitted_at', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .limit(limit);
    if (after) {
      qb.andWhere('(r.submitted_at, r.id) > (:at, CAST(:id AS uuid))', {
        at: after.submittedAt,
        id: after.id,
      });
    }
    return qb.getMany();
  }
}
