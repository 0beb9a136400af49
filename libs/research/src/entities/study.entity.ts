import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { GroupEntity } from '@kinship/communities';

export const STUDY_STATUSES = ['draft', 'open', 'closed'] as const;
export type StudyStatus = (typeof STUDY_STATUSES)[number];

/** `fixed`: [startsAt, endsAt); `rolling_12_weeks`: the last 12 weeks of it (see study-window). */
export const WINDOW_KINDS = ['fixed', 'rolling_12_weeks'] as const;
export type WindowKind = (typeof WINDOW_KINDS)[number];

/**
 * A research study over some groups: a researcher creates it (draft), an admin approves it
 * (open), members of its groups then see it and may consent. The pseudonym secret keys every
 * participant's pseudonym; it is never selected unless asked for, never answered, never exported.
 */
@Entity('research_studies')
@Check('research_studies_status_check', `"status" IN ('draft', 'open', 'closed')`)
@Check('research_studies_window_kind_check', `"window_kind" IN ('fixed', 'rolling_12_weeks')`)
@Check('research_studies_k_check', `"k_anonymity" >= 2`)
@Check('research_studies_poster_min_check', `"poster_min_contributions" >= 1`)
@Check('research_studies_period_check', `"ends_at" > "starts_at"`)
@Index('research_studies_owner_created_idx', ['ownerId', 'createdAt', 'id'])
@Index('research_studies_status_created_idx', ['status', 'createdAt', 'id'])
export class StudyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The researcher who created it; a plain id, the study outlives the account. */
  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 5000, default: '' })
  description: string;

  @Column({ name: 'starts_at', type: 'timestamptz', precision: 3 })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz', precision: 3 })
  endsAt: Date;

  @Column({ name: 'window_kind', type: 'varchar', length: 20, default: 'fixed' })
  windowKind: WindowKind;

  @Column({ name: 'k_anonymity', type: 'integer', default: 5 })
  kAnonymity: number;

  @Column({ name: 'poster_min_contributions', type: 'integer', default: 1 })
  posterMinContributions: number;

  @Column({ name: 'consent_text', type: 'text' })
  consentText: string;

  @Column({ name: 'consent_version', type: 'varchar', length: 40 })
  consentVersion: string;

  @Column({ type: 'varchar', length: 10, default: 'draft' })
  status: StudyStatus;

  @Column({ name: 'approved_by', type: 'uuid', nullable: true })
  approvedBy: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  /** 32 random bytes; HMAC key of the study's pseudonyms. */
  @Column({ name: 'pseudonym_secret', type: 'bytea', select: false })
  pseudonymSecret?: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @OneToMany(() => StudyGroupEntity, (g) => g.study)
  groups?: StudyGroupEntity[];
}

/** A group of a study under its study-local code (G01, G02, …) and condition label. */
@Entity('research_study_groups')
@Index('research_study_groups_code_key', ['studyId', 'code'], { unique: true })
@Index('research_study_groups_group_idx', ['groupId'])
export class StudyGroupEntity {
  @PrimaryColumn({ name: 'study_id', type: 'uuid' })
  studyId: string;

  @PrimaryColumn({ name: 'group_id', type: 'uuid' })
  groupId: string;

  @ManyToOne(() => StudyEntity, (s) => s.groups, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'study_id', foreignKeyConstraintName: 'research_study_groups_study_id_fkey' })
  study?: StudyEntity;

  @ManyToOne(() => GroupEntity)
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'research_study_groups_group_id_fkey' })
  group?: GroupEntity;

  @Column({ type: 'varchar', length: 8 })
  code: string;

  /** The group's condition label when the study was created (exports show it with the code). */
  @Column({ type: 'varchar', length: 120 })
  condition: string;

  @Column({ type: 'smallint' })
  position: number;
}
