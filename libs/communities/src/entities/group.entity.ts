import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { UserEntity } from '@kinship/identity';

export type GroupVisibility = 'public' | 'private';
export type JoinPolicy = 'open' | 'approval';

/** A condition-focused group ("Type 1 diabetes – parents", "Living with IBD"). */
@Entity('groups')
@Check('groups_visibility_check', `"visibility" IN ('public', 'private')`)
@Check('groups_join_policy_check', `"join_policy" IN ('open', 'approval')`)
export class GroupEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Index('groups_slug_key', { unique: true })
  @Column({ type: 'varchar', length: 60 })
  slug: string;

  /** The condition's label as members name it, e.g. "Type 1 diabetes". */
  @Column({ name: 'condition_label', type: 'varchar', length: 120 })
  conditionLabel: string;

  /** Optional ICD-10 code, e.g. "E10", for researchers. */
  @Column({ name: 'condition_code', type: 'varchar', length: 8, nullable: true })
  conditionCode: string | null;

  @Column({ type: 'varchar', length: 2000, default: '' })
  description: string;

  @Column({ type: 'varchar', length: 10 })
  visibility: GroupVisibility;

  @Column({ name: 'join_policy', type: 'varchar', length: 10 })
  joinPolicy: JoinPolicy;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @ManyToOne(() => UserEntity)
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'groups_created_by_fkey' })
  creator?: UserEntity;

  /** Active members, kept in the membership's transaction so lists need no count per row. */
  @Column({ name: 'member_count', type: 'integer', default: 0 })
  memberCount: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
