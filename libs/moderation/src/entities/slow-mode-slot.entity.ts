import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { GroupEntity } from '@kinship/communities';

/**
 * When a member last wrote in a group under slow mode, per channel (`posts`: threads and replies;
 * `chat`). Taken with one conditional upsert, so two concurrent writes cannot both pass.
 */
@Entity('moderation_slow_mode')
export class SlowModeSlotEntity {
  @PrimaryColumn({ name: 'group_id', type: 'uuid' })
  groupId: string;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'moderation_slow_mode_group_id_fkey' })
  group?: GroupEntity;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'varchar', length: 10 })
  channel: string;

  @Column({ name: 'last_at', type: 'timestamptz', precision: 3 })
  lastAt: Date;
}
