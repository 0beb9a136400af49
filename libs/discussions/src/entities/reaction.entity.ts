import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '@kinship/identity';
import { PostEntity } from './post.entity';

export const REACTION_KINDS = ['support', 'helpful', 'hug'] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];

/** One member's reaction of one kind to one post (the primary key makes it one of each). */
@Entity('post_reactions')
@Check('post_reactions_kind_check', `"kind" IN ('support', 'helpful', 'hug')`)
@Index('post_reactions_user_id_idx', ['userId'])
export class ReactionEntity {
  @PrimaryColumn({ name: 'post_id', type: 'uuid', primaryKeyConstraintName: 'post_reactions_pkey' })
  postId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'post_reactions_pkey' })
  userId: string;

  @PrimaryColumn({ type: 'varchar', length: 10, primaryKeyConstraintName: 'post_reactions_pkey' })
  kind: ReactionKind;

  @ManyToOne(() => PostEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id', foreignKeyConstraintName: 'post_reactions_post_id_fkey' })
  post?: PostEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'post_reactions_user_id_fkey' })
  user?: UserEntity;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
