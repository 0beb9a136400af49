import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far a member has read a group's chat (only ever moves forward). */
@Entity('chat_read_cursors')
export class ChatReadCursorEntity {
  @PrimaryColumn({ name: 'group_id', type: 'uuid' })
  groupId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId: string;

  /** The read message's seq, so "forward" is one comparison. */
  @Column({ name: 'message_seq', type: 'bigint' })
  messageSeq: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
