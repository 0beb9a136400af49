import { Check, Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { GroupEntity } from '@kinship/communities';

/** A group's moderation settings; a group without a row has them all off. */
@Entity('moderation_group_settings')
@Check(
  'moderation_group_settings_slow_mode_check',
  '"slow_mode_seconds" >= 0 AND "slow_mode_seconds" <= 86400',
)
@Check('moderation_group_settings_threshold_check', '"report_hide_threshold" >= 0')
export class GroupSettingsEntity {
  @PrimaryColumn({ name: 'group_id', type: 'uuid' })
  groupId: string;

  @OneToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'group_id',
    foreignKeyConstraintName: 'moderation_group_settings_group_id_fkey',
  })
  group?: GroupEntity;

  /** Seconds a member waits between two posts (and between two chat messages); 0 is off. */
  @Column({ name: 'slow_mode_seconds', type: 'integer', default: 0 })
  slowModeSeconds: number;

  /** A member's posts and messages are held until a moderator approved one of them. */
  @Column({ name: 'first_post_approval', type: 'boolean', default: false })
  firstPostApproval: boolean;

  /** This many distinct reporters hide content until a moderator decides; 0 is off. */
  @Column({ name: 'report_hide_threshold', type: 'integer', default: 0 })
  reportHideThreshold: number;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;
}
