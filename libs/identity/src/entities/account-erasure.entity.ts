import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from './user.entity';

/**
 * The record that an account was erased: when, and how much of each kind of data was removed or
 * de-identified. It holds nothing that leads back to the person (the user row is an anonymous
 * stub by then), and makes a repeated erasure a no-op.
 */
@Entity('account_erasures')
export class AccountErasureEntity {
  @PrimaryColumn({
    name: 'user_id',
    type: 'uuid',
    primaryKeyConstraintName: 'account_erasures_pkey',
  })
  userId: string;

  @OneToOne(() => UserEntity)
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'account_erasures_user_id_fkey' })
  user?: UserEntity;

  @Column({ name: 'erased_at', type: 'timestamptz' })
  erasedAt: Date;

  /** Per section, counts of what was removed or kept de-identified (e.g. `{posts: {removed: 3}}`). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  summary: Record<string, Record<string, number>>;
}
