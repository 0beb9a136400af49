import {
  Check,
  Column,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  JoinColumn,
  ManyToOne,
} from 'typeorm';
import { StudyEntity } from './study.entity';

/**
 * The consent history, append-only: every grant and withdrawal with its time and the consent
 * text's version. The application has no path that updates or deletes a row.
 */
@Entity('research_consent_records')
@Index('research_consent_records_study_user_idx', ['studyId', 'userId', 'id'])
export class ConsentRecordEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'study_id', type: 'uuid' })
  studyId: string;

  @ManyToOne(() => StudyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'study_id',
    foreignKeyConstraintName: 'research_consent_records_study_id_fkey',
  })
  study?: StudyEntity;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'boolean' })
  granted: boolean;

  @Column({ name: 'consent_version', type: 'varchar', length: 40 })
  consentVersion: string;

  @Column({ type: 'timestamptz', precision: 3 })
  at: Date;
}

/**
 * A member's current consent to a study (the last record of the history), kept beside it so
 * that exports and lists need no scan of the history.
 */
@Entity('research_participants')
@Check('research_participants_state_check', `"granted" OR "withdrawn_at" IS NOT NULL`)
@Index('research_participants_user_idx', ['userId'])
@Index('research_participants_study_granted_idx', ['studyId', 'granted'])
export class ParticipantEntity {
  @PrimaryColumn({ name: 'study_id', type: 'uuid' })
  studyId: string;

  @ManyToOne(() => StudyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'study_id', foreignKeyConstraintName: 'research_participants_study_id_fkey' })
  study?: StudyEntity;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'boolean' })
  granted: boolean;

  /** The version of the consent text last agreed to. */
  @Column({ name: 'consent_version', type: 'varchar', length: 40 })
  consentVersion: string;

  /** When the current (or last) consent was given. */
  @Column({ name: 'granted_at', type: 'timestamptz', precision: 3 })
  grantedAt: Date;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', precision: 3, nullable: true })
  withdrawnAt: Date | null;
}
