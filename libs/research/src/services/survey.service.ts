import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CommonException, type Page, type PageQueryDto } from '@kinship/common';
import { inTransaction, uniqueViolation } from '@kinship/database';
import type { AuthUser } from '@kinship/identity';
import { answerProblems, itemProblems } from '../anonymise/survey-rules';
import {
  type CreateSurveyDto,
  type PendingSurveyDto,
  SurveyDto,
  type SurveyResponseDto,
} from '../dto/survey.dto';
import type { SurveyEntity } from '../entities/survey.entity';
import { StudyRepository } from '../repositories/study.repository';
import { SurveyRepository } from '../repositories/survey.repository';
import { ResearchErrorCode, ResearchException } from '../research.exception';
import { notFound, StudyAccess } from './study-access';

/** Likert surveys of a study: the owner writes them, consented participants answer once. */
@Injectable()
export class SurveyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly surveys: SurveyRepository,
    private readonly studies: StudyRepository,
    private readonly access: StudyAccess,
    private readonly clock: Clock,
  ) {}

  async create(user: AuthUser, studyId: string, dto: CreateSurveyDto): Promise<SurveyDto> {
    await this.access.owned(user, studyId);
    const items = dto.items.map((i) => ({ key: i.key, text: i.text, min: i.min, max: i.max }));
    const problems = itemProblems(items);
    if (problems.length) throw CommonException.validation(problems);
    const survey = await inTransaction(this.dataSource, async (manager) => {
      const study = await this.studies.lock(studyId, manager);
      if (!study) throw notFound();
      if (study.status === 'closed') throw new ResearchException(ResearchErrorCode.StudyClosed);
      const n = (await this.surveys.count(studyId, manager)) + 1;
      return this.surveys.insert(
        {
          studyId,
          code: `S${String(n).padStart(2, '0')}`,
          title: dto.title,
          wave: dto.wave ?? 'other',
          items,
        },
        manager,
      );
    });
    return toDto(survey);
  }

  async listForStudy(
    user: AuthUser,
    studyId: string,
    query: PageQueryDto,
  ): Promise<Page<SurveyDto>> {
    await this.access.owned(user, studyId);
    const page = await this.surveys.listForStudy(studyId, query);
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  }

  /** Surveys of open studies the caller consented to and has not answered yet. */
  async pending(user: AuthUser, query: PageQueryDto): Promise<Page<PendingSurveyDto>> {
    const page = await this.surveys.pendingFor(user.id, query);
    const titles = new Map<string, string>();
    for (const studyId of new Set(page.items.map((s) => s.studyId))) {
      titles.set(studyId, (await this.studies.findById(studyId))?.title ?? '');
    }
    return {
      items: page.items.map((s) => ({
        ...toDto(s),
        study: { id: s.studyId, title: titles.get(s.studyId) ?? '' },
      })),
      nextCursor: page.nextCursor,
    };
  }

  async respond(
    user: AuthUser,
    surveyId: string,
    answers: Record<string, unknown>,
  ): Promise<SurveyResponseDto> {
    const survey = await this.surveys.findById(surveyId);
    if (!survey) throw surveyNotFound();
    const view = await this.access.view(user, survey.studyId).catch(() => null);
    if (!view) throw surveyNotFound();
    if (!view.consent?.granted) throw new ResearchException(ResearchErrorCode.ConsentRequired);
    if (view.study.status !== 'open') {
      throw new ResearchException(
        ResearchErrorCode.StudyNotOpen,
        `The study is ${view.study.status}.`,
      );
    }
    const problems = answerProblems(survey.items, answers);
    if (problems.length) throw CommonException.validation(problems);
    const alreadyAnswered = () => new ResearchException(ResearchErrorCode.SurveyAlreadyAnswered);
    const saved = await inTransaction(this.dataSource, async (manager) => {
      if (await this.surveys.answered(surveyId, user.id, manager)) throw alreadyAnswered();
      return this.surveys.insertResponse(
        {
          surveyId,
          studyId: survey.studyId,
          userId: user.id,
          answers: answers as Record<string, number>,
          submittedAt: this.clock.now(),
        },
        manager,
      );
    }).catch((error: unknown) => {
      // Two answers sent at once: the unique constraint decides.
      if (uniqueViolation(error) === 'research_survey_responses_once_key') throw alreadyAnswered();
      throw error;
    });
    return {
      id: saved.id,
      surveyId,
      answers: saved.answers,
      submittedAt: saved.submittedAt.toISOString(),
    };
  }
}

function toDto(s: SurveyEntity): SurveyDto {
  return {
    id: s.id,
    studyId: s.studyId,
    code: s.code,
    title: s.title,
    wave: s.wave,
    items: s.items.map((i) => ({ key: i.key, text: i.text, min: i.min, max: i.max })),
    createdAt: s.createdAt.toISOString(),
  };
}

function surveyNotFound(): ResearchException {
  return new ResearchException(
    ResearchErrorCode.SurveyNotFound,
    'The survey does not exist or is not visible to you.',
  );
}
