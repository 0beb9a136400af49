import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { PlatformRole } from '../roles';

@Entity('users')
@Check('users_role_check', `"role" IN ('member', 'moderator', 'researcher', 'admin')`)
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Lower-cased; null once the account is erased. */
  @Index('users_email_key', { unique: true })
  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  /** As the member typed it; shown to others. */
  @Column({ type: 'varchar', length: 30 })
  handle: string;

  /** Lower-cased handle: "Rosa" and "rosa" are one handle. */
  @Index('users_handle_key_key', { unique: true })
  @Column({ name: 'handle_key', type: 'varchar', length: 40 })
  handleKey: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true })
  passwordHash: string | null;

  @Column({ type: 'varchar', length: 20, default: 'member' })
  role: PlatformRole;

  @Column({ name: 'suspended_until', type: 'timestamptz', nullable: true })
  suspendedUntil: Date | null;

  /** Consecutive failed sign-ins; reset by a successful one. */
  @Column({ name: 'failed_logins', type: 'integer', default: 0 })
  failedLogins: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** Set when the account is closed (erasure); the row stays as an anonymous stub. */
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}
