import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { UserEntity } from './user.entity';

/**
 * A member's authenticator (TOTP, RFC 6238). Secrets are stored encrypted (AES-256-GCM); `usedSteps`
 * holds the recently accepted time steps, so a code is accepted once only.
 */
@Entity('user_two_factor')
export class UserTwoFactorEntity {
  @PrimaryColumn({
    name: 'user_id',
    type: 'uuid',
    primaryKeyConstraintName: 'user_two_factor_pkey',
  })
  userId: string;

  @OneToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'user_two_factor_user_id_fkey' })
  user?: UserEntity;

  /** The enabled authenticator's secret, encrypted; null while only a setup is pending. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  secret: string | null;

  /** A secret handed out by setup and not yet confirmed with a code, encrypted. */
  @Column({ name: 'pending_secret', type: 'varchar', length: 200, nullable: true })
  pendingSecret: string | null;

  @Column({ name: 'enabled_at', type: 'timestamptz', nullable: true })
  enabledAt: Date | null;

  /** Time steps (30 s counters) of codes already accepted, pruned to the recent ones. */
  @Column({ name: 'used_steps', type: 'bigint', array: true, default: () => "'{}'" })
  usedSteps: string[];
}

/** One-time recovery codes, stored as SHA-256 (each holds 80 random bits). */
@Entity('two_factor_recovery_codes')
@Index('two_factor_recovery_codes_user_code_key', ['userId', 'codeHash'], { unique: true })
export class RecoveryCodeEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'user_id',
    foreignKeyConstraintName: 'two_factor_recovery_codes_user_id_fkey',
  })
  user?: UserEntity;

  @Column({ name: 'code_hash', type: 'char', length: 64 })
  codeHash: string;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/**
 * The second step of a sign-in: the password was right, a code is awaited. Its opaque token
 * (`mfaToken`) is stored as SHA-256, lives a few minutes and serves once.
 */
@Entity('two_factor_challenges')
export class TwoFactorChallengeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('two_factor_challenges_user_id_idx')
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'two_factor_challenges_user_id_fkey' })
  user?: UserEntity;

  @Index('two_factor_challenges_token_hash_key', { unique: true })
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}
