import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { UserEntity } from '@kinship/identity';
import { GroupEntity } from './group.entity';

export type MembershipStatus = 'pending' | 'active' | 'left' | 'banned';
export type GroupRole = 'member' | 'moderator';

/** One person's standing in one group; kept after leaving (research needs the history). */
@Entity('memberships')
@Check('memberships_status_check', `"status" IN ('pending', 'active', 'left', 'banned')`)
@Check('memberships_role_check', `"role" IN ('member', 'moderator')`)
@Index('memberships_user_id_idx', ['userId'])
@Index('memberships_group_status_idx', ['groupId', 'status'])
export class MembershipEntity {
  @PrimaryColumn({ name: 'group_id', type: 'uuid' })
  groupId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'memberships_group_id_fkey' })
  group?: GroupEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'memberships_user_id_fkey' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 10 })
  status: MembershipStatus;

  @Column({ type: 'varchar', length: 10, default: 'member' })
  role: GroupRole;

  // Millisecond precision: the key of the members list's cursor must round-trip through JS.
  @Column({ name: 'requested_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  requestedAt: Date;

  /** When the membership last became active. */
  @Column({ name: 'joined_at', type: 'timestamptz', nullable: true })
  joinedAt: Date | null;

  @Column({ name: 'left_at', type: 'timestamptz', nullable: true })
  leftAt: Date | null;

  /** A moderator's mute: no writing in the group until then (it ends by itself). */
  @Column({ name: 'muted_until', type: 'timestamptz', precision: 3, nullable: true })
  mutedUntil: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
