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
import { ThreadEntity } from './thread.entity';

export const POST_STATUSES = ['published', 'pending_review', 'hidden', 'removed'] as const;
/** Moderation (later) holds posts for review, hides or removes them; until then all are published. */
export type PostStatus = (typeof POST_STATUSES)[number];

/** A thread's first post or a reply. The Markdown source is kept; its sanitised HTML is stored. */
@Entity('posts')
@Check('posts_status_check', `"status" IN ('published', 'pending_review', 'hidden', 'removed')`)
// Posts of a thread oldest first (keyset on created_at, id).
@Index('posts_thread_created_idx', ['threadId', 'createdAt', 'id'])
@Index('posts_author_id_idx', ['authorId'])
export class PostEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'thread_id', type: 'uuid' })
  threadId: string;

  @ManyToOne(() => ThreadEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'thread_id', foreignKeyConstraintName: 'posts_thread_id_fkey' })
  thread?: ThreadEntity;

  /** The thread's group, kept on the post so a post's access needs no join (and per-group work). */
  @Column({ name: 'group_id', type: 'uuid' })
  groupId: string;

  @Column({ name: 'author_id', type: 'uuid' })
  authorId: string;

  @ManyToOne(() => UserEntity)
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'posts_author_id_fkey' })
  author?: UserEntity;

  /** The post this one answers, in the same thread. */
  @Column({ name: 'reply_to_post_id', type: 'uuid', nullable: true })
  replyToPostId: string | null;

  @ManyToOne(() => PostEntity)
  @JoinColumn({ name: 'reply_to_post_id', foreignKeyConstraintName: 'posts_reply_to_post_id_fkey' })
  replyTo?: PostEntity;

  /** Markdown as the author wrote it. */
  @Column({ type: 'text' })
  body: string;

  /** Rendered and sanitised at write time, so reading never renders. */
  @Column({ type: 'text' })
  html: string;

  @Column({ type: 'varchar', length: 20, default: 'published' })
  status: PostStatus;

  /** Strictly increasing within a thread, in commit order: the posts list's keyset stays exact. */
  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'edited_at', type: 'timestamptz', precision: 3, nullable: true })
  editedAt: Date | null;

  /** Counters kept in the reactions' transactions, so a page needs no aggregate per post. */
  @Column({ name: 'support_count', type: 'integer', default: 0 })
  supportCount: number;

  @Column({ name: 'helpful_count', type: 'integer', default: 0 })
  helpfulCount: number;

  @Column({ name: 'hug_count', type: 'integer', default: 0 })
  hugCount: number;

  /** Soft delete: gone for members; the row stays (its engagement event counts regardless). */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  @Column({ name: 'deleted_by', type: 'uuid', nullable: true })
  deletedBy: string | null;
}
