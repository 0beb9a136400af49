import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '@kinship/identity';
import { PostEntity } from './post.entity';

/** One edit of a post: the body as it was before, who changed it and when. Append-only. */
@Entity('post_edits')
@Index('post_edits_post_id_idx', ['postId', 'editedAt'])
export class PostEditEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'post_id', type: 'uuid' })
  postId: string;

  @ManyToOne(() => PostEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id', foreignKeyConstraintName: 'post_edits_post_id_fkey' })
  post?: PostEntity;

  @Column({ name: 'editor_id', type: 'uuid' })
  editorId: string;

  @ManyToOne(() => UserEntity)
  @JoinColumn({ name: 'editor_id', foreignKeyConstraintName: 'post_edits_editor_id_fkey' })
  editor?: UserEntity;

  @Column({ name: 'previous_body', type: 'text' })
  previousBody: string;

  @Column({ name: 'edited_at', type: 'timestamptz', precision: 3 })
  editedAt: Date;
}
