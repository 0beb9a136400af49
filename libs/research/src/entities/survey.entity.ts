import {
  Check,
  Column,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  JoinColumn,
  ManyToOne,
} from 'typeorm';
import { StudyEntity } from './study.entity';

export const SURVEY_WAVES = ['baseline', 'follow_up', 'other'] as const;
export type SurveyWave = (typeof SURVEY_WAVES)[number];

/** One Likert item: answers are integers from `min` to `max`. */
export interface SurveyItem {
  key: string;
  text: string;
  min: number;
  max: number;
}

/** A questionnaire of a study; `code` (S01, S02, …) names it in exports. */
@Entity('research_surveys')
@Check('research_surveys_wave_check', `"wave" IN ('baseline', 'follow_up', 'other')`)
@Index('research_surveys_code_key', ['studyId', 'code'], { unique: true })
@Index('research_surveys_study_created_idx', ['studyId', 'createdAt', 'id'])
export class SurveyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'study_id', type: 'uuid' })
  studyId: string;

  @ManyToOne(() => StudyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'study_id', foreignKeyConstraintName: 'research_surveys_study_id_fkey' })
  study?: StudyEntity;

  @Column({ type: 'varchar', length: 8 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 20 })
  wave: SurveyWave;

  @Column({ type: 'jsonb' })
  items: SurveyItem[];

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;
}

/** A participant's answers to a survey: one per participant and survey. */
@Entity('research_survey_responses')
@Index('research_survey_responses_once_key', ['surveyId', 'userId'], { unique: true })
@Index('research_survey_responses_study_submitted_idx', ['studyId', 'submittedAt', 'id'])
export class SurveyResponseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'survey_id', type: 'uuid' })
  surveyId: string;

  @ManyToOne(() => SurveyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'survey_id',
    foreignKeyConstraintName: 'research_survey_responses_survey_id_fkey',
  })
  survey?: SurveyEntity;

  @Column({ name: 'study_id', type: 'uuid' })
  studyId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** Item key → integer within the item's range. */
  @Column({ type: 'jsonb' })
  answers: Record<string, number>;

  @Column({ name: 'submitted_at', type: 'timestamptz', precision: 3 })
  submittedAt: Date;
}
