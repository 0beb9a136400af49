import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One entry of the append-only audit log. `seq` is gapless (assigned under an advisory lock, in
 * the transaction of the action it records); `hash` chains each entry to the one before, so an
 * edited, removed or reordered entry shows in verification. The database refuses UPDATE, DELETE
 * and TRUNCATE on this table (triggers in the migration); the application has no such path.
 */
@Entity('moderation_audit')
@Index('moderation_audit_group_seq_idx', ['groupId', 'seq'])
@Index('moderation_audit_actor_seq_idx', ['actorId', 'seq'])
@Index('moderation_audit_target_seq_idx', ['targetId', 'seq'])
@Index('moderation_audit_action_seq_idx', ['action', 'seq'])
@Index('moderation_audit_occurred_at_idx', ['occurredAt'])
export class ModerationAuditEntity {
  @PrimaryColumn({ type: 'bigint' })
  seq: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', precision: 3 })
  occurredAt: Date;

  /** Who acted; null for the platform itself (e.g. content hidden by the report threshold). */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  /** e.g. `content.hide`, `member.mute`, `held.read`, `research.export`. */
  @Column({ type: 'varchar', length: 40 })
  action: string;

  @Column({ name: 'target_type', type: 'varchar', length: 20, nullable: true })
  targetType: string | null;

  @Column({ name: 'target_id', type: 'varchar', length: 64, nullable: true })
  targetId: string | null;

  /** Kept as a plain id (no foreign key): the log outlives the group. */
  @Column({ name: 'group_id', type: 'uuid', nullable: true })
  groupId: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  reason: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash: string;

  @Index('moderation_audit_hash_key', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  hash: string;
}
