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

export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_STATUSES = ['queued', 'running', 'ready', 'failed'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

export interface ExportFile {
  name: string;
  rows: number;
  bytes: number;
}

/**
 * One export request and its job: the durable record of who asked for which study's data, when,
 * and what was produced. Rows are kept after the files expired and were deleted.
 */
@Entity('research_exports')
@Check('research_exports_format_check', `"format" IN ('csv', 'ndjson')`)
@Check('research_exports_status_check', `"status" IN ('queued', 'running', 'ready', 'failed')`)
@Index('research_exports_study_created_idx', ['studyId', 'createdAt', 'id'])
@Index('research_exports_status_idx', ['status'])
@Index('research_exports_expires_idx', ['expiresAt'], { where: '"files_deleted_at" IS NULL' })
export class ExportEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'study_id', type: 'uuid' })
  studyId: string;

  @ManyToOne(() => StudyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'study_id', foreignKeyConstraintName: 'research_exports_study_id_fkey' })
  study?: StudyEntity;

  @Column({ name: 'requested_by', type: 'uuid' })
  requestedBy: string;

  @Column({ type: 'varchar', length: 10 })
  format: ExportFormat;

  @Column({ type: 'varchar', length: 10, default: 'queued' })
  status: ExportStatus;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  files: ExportFile[];

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  /** Times the job was started (a crash mid-way starts it again, up to a limit). */
  @Column({ type: 'smallint', default: 0 })
  attempts: number;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  /** Refreshed while the job runs; a running job whose heartbeat stopped was interrupted. */
  @Column({ name: 'heartbeat_at', type: 'timestamptz', nullable: true })
  heartbeatAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** After this the export answers 410 and its files are deleted by the sweep. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'files_deleted_at', type: 'timestamptz', nullable: true })
  filesDeletedAt: Date | null;
}
