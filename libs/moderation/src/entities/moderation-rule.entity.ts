import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { GroupEntity } from '@kinship/communities';
import type { Category, MatchType, RuleAction } from '../screening/screening.types';

/** A screening rule of one group, or global (no group). */
@Entity('moderation_rules')
@Check('moderation_rules_match_type_check', `"match_type" IN ('word', 'phrase', 'regex')`)
@Check('moderation_rules_action_check', `"action" IN ('block', 'hold', 'flag')`)
@Check(
  'moderation_rules_category_check',
  `"category" IN ('spam', 'harassment', 'misinformation', 'self_harm', 'privacy', 'other')`,
)
@Index('moderation_rules_group_created_idx', ['groupId', 'createdAt', 'id'])
export class ModerationRuleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'group_id', type: 'uuid', nullable: true })
  groupId: string | null;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'moderation_rules_group_id_fkey' })
  group?: GroupEntity;

  @Column({ type: 'varchar', length: 200 })
  pattern: string;

  @Column({ name: 'match_type', type: 'varchar', length: 10 })
  matchType: MatchType;

  @Column({ type: 'varchar', length: 10 })
  action: RuleAction;

  @Column({ type: 'varchar', length: 20 })
  category: Category;

  /** Kept as a plain id: a rule outlives its author's account. */
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;
}
