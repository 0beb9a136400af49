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
import { UserEntity } from '@kinship/identity';

export type ChatMessageStatus = 'published' | 'pending_review' | 'hidden' | 'removed';

/**
 * A chat message. `seq` orders a group's chat (and is the history cursor): it is assigned in the
 * order messages are written, which `created_at` cannot give inside one batched transaction.
 */
@Entity('chat_messages')
@Check(
  'chat_messages_status_check',
  `"status" IN ('published', 'pending_review', 'hidden', 'removed')`,
)
@Index('chat_messages_author_client_msg_key', ['authorId', 'clientMsgId'], { unique: true })
@Index('chat_messages_group_seq_idx', ['groupId', 'seq'])
export class ChatMessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS' })
  seq: string;

  @Column({ name: 'group_id', type: 'uuid' })
  groupId: string;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'chat_messages_group_id_fkey' })
  group?: GroupEntity;

  @Column({ name: 'author_id', type: 'uuid' })
  authorId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'chat_messages_author_id_fkey' })
  author?: UserEntity;

  /** The sender's id for this message: a retry with the same id returns the stored message. */
  @Column({ name: 'client_msg_id', type: 'uuid' })
  clientMsgId: string;

  @Column({ type: 'varchar', length: 4000 })
  body: string;

  @Column({ type: 'varchar', length: 20, default: 'published' })
  status: ChatMessageStatus;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;
}
