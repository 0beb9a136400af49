import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { UserEntity } from '@kinship/identity';

export const NOTICE_KINDS = [
  'warning',
  'mute',
  'ban',
  'content_hidden',
  'content_removed',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** What a member is told about a moderation decision that concerns them. */
@Entity('moderation_notices')
@Check(
  'moderation_notices_kind_check',
  `"kind" IN ('warning', 'mute', 'ban', 'content_hidden', 'content_removed')`,
)
@Index('moderation_notices_user_created_idx', ['userId', 'createdAt', 'id'])
export class NoticeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'moderation_notices_user_id_fkey' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 20 })
  kind: NoticeKind;

  @Column({ name: 'group_id', type: 'uuid', nullable: true })
  groupId: string | null;

  @Column({ name: 'target_type', type: 'varchar', length: 10, nullable: true })
  targetType: string | null;

  @Column({ name: 'target_id', type: 'uuid', nullable: true })
  targetId: string | null;

  /** The moderator's reason, as the member reads it. */
  @Column({ type: 'varchar', length: 2000 })
  reason: string;

  /** When a mute ends. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  until: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;
}
