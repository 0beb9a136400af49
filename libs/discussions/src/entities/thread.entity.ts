import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { GroupEntity } from '@kinship/communities';
import { UserEntity } from '@kinship/identity';
import type { PostEntity } from './post.entity';

/** A conversation in a group: a title and its first post, then replies. */
@Entity('threads')
// The thread list: a group's threads by last activity, newest first (keyset on the last two).
@Index('threads_group_activity_idx', ['groupId', 'lastActivityAt', 'id'])
export class ThreadEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'group_id', type: 'uuid' })
  groupId: string;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'threads_group_id_fkey' })
  group?: GroupEntity;

  @Column({ name: 'author_id', type: 'uuid' })
  authorId: string;

  @ManyToOne(() => UserEntity)
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'threads_author_id_fkey' })
  author?: UserEntity;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  /** Set in the thread's own transaction, right after the first post is written. */
  @Column({ name: 'first_post_id', type: 'uuid', nullable: true })
  firstPostId: string | null;

  // By name: the two entities refer to each other (Relation<> keeps the metadata cycle-free).
  @ManyToOne('PostEntity')
  @JoinColumn({ name: 'first_post_id', foreignKeyConstraintName: 'threads_first_post_id_fkey' })
  firstPost?: Relation<PostEntity>;

  // Millisecond precision on every cursor key, so the value round-trips through a JS Date.
  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  /** The newest post's time; strictly increasing per thread (see PostRepository.bumpThread). */
  @Column({ name: 'last_activity_at', type: 'timestamptz', precision: 3 })
  lastActivityAt: Date;

  /** Visible replies (the first post is not a reply), kept in the replies' transactions. */
  @Column({ name: 'reply_count', type: 'integer', default: 0 })
  replyCount: number;

  /** Soft delete: deleting a thread's first post deletes the thread (its replies go with it). */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  @Column({ name: 'deleted_by', type: 'uuid', nullable: true })
  deletedBy: string | null;
}
