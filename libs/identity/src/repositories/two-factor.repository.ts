import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import {
  RecoveryCodeEntity,
  TwoFactorChallengeEntity,
  UserTwoFactorEntity,
} from '../entities/two-factor.entity';

export interface LockedChallenge {
  id: string;
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
}

/** The only place that reads or writes authenticators, recovery codes and sign-in challenges. */
@Injectable()
export class TwoFactorRepository {
  constructor(private readonly dataSource: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  find(userId: string, manager?: EntityManager): Promise<UserTwoFactorEntity | null> {
    return this.m(manager).findOneBy(UserTwoFactorEntity, { userId });
  }

  async isEnabled(userId: string, manager?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await this.m(manager).query(
      'SELECT 1 FROM user_two_factor WHERE user_id = $1 AND enabled_at IS NOT NULL',
      [userId],
    );
    return rows.length > 0;
  }

  /** Keeps a setup's secret until it is confirmed (a new setup replaces it). */
  async savePending(userId: string, sealedSecret: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO user_two_factor (user_id, pending_secret) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET pending_secret = EXCLUDED.pending_secret`,
      [userId, sealedSecret],
    );
  }

  /** Turns the authenticator on, with the step of the confirming code already used. */
  async enable(
    userId: string,
    sealedSecret: string,
    step: number,
    codeHashes: string[],
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE user_two_factor
          SET secret = $2, pending_secret = NULL, enabled_at = now(), used_steps = ARRAY[$3::bigint]
        WHERE user_id = $1`,
      [userId, sealedSecret, step],
    );
    await this.replaceRecoveryCodes(userId, codeHashes, manager);
  }

  async disable(userId: string, manager: EntityManager): Promise<void> {
    await manager.delete(RecoveryCodeEntity, { userId });
    await manager.delete(UserTwoFactorEntity, { userId });
  }

  /**
   * Marks a time step used, unless it was: one statement, so two requests with one code cannot
   * both pass. Steps older than `keepFrom` are pruned (they are outside every window by now).
   */
  async useStep(
    userId: string,
    step: number,
    keepFrom: number,
    manager?: EntityManager,
  ): Promise<boolean> {
    const [rows] = (await this.m(manager).query(
      `UPDATE user_two_factor
          SET used_steps = array_append(
                ARRAY(SELECT s FROM unnest(used_steps) AS s WHERE s >= $3::bigint), $2::bigint)
        WHERE user_id = $1 AND enabled_at IS NOT NULL AND NOT ($2::bigint = ANY(used_steps))
    RETURNING 1`,
      [userId, step, keepFrom],
    )) as [unknown[], number];
    return rows.length > 0;
  }

  /** Uses a recovery code once; false when it is unknown or was used. */
  async useRecoveryCode(
    userId: string,
    codeHash: string,
    manager?: EntityManager,
  ): Promise<boolean> {
    const [rows] = (await this.m(manager).query(
      `UPDATE two_factor_recovery_codes SET used_at = now()
        WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL
    RETURNING 1`,
      [userId, codeHash],
    )) as [unknown[], number];
    return rows.length > 0;
  }

  async remainingRecoveryCodes(userId: string): Promise<number> {
    return this.dataSource.manager.countBy(RecoveryCodeEntity, { userId, usedAt: IsNull() });
  }

  async replaceRecoveryCodes(
    userId: string,
    codeHashes: string[],
    manager: EntityManager,
  ): Promise<void> {
    await manager.delete(RecoveryCodeEntity, { userId });
    await manager.insert(
      RecoveryCodeEntity,
      codeHashes.map((codeHash) => ({ userId, codeHash })),
    );
  }

  /** A new sign-in challenge; the member's finished or expired ones are cleared on the way. */
  async createChallenge(userId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM two_factor_challenges
        WHERE user_id = $1 AND (used_at IS NOT NULL OR expires_at < now())`,
      [userId],
    );
    await this.dataSource.manager.insert(TwoFactorChallengeEntity, {
      userId,
      tokenHash,
      expiresAt,
    });
  }

  /** Locks a challenge for its one use, so two verifications of one token are ordered. */
  async lockChallenge(
    tokenHash: string,
    manager: EntityManager,
  ): Promise<LockedChallenge | undefined> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT id, user_id, expires_at, used_at FROM two_factor_challenges
        WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    const r = rows[0];
    return (
      r && {
        id: r.id as string,
        userId: r.user_id as string,
        expiresAt: r.expires_at as Date,
        usedAt: (r.used_at as Date | null) ?? null,
      }
    );
  }

  async markChallengeUsed(id: string, manager: EntityManager): Promise<void> {
    await manager.update(TwoFactorChallengeEntity, { id }, { usedAt: () => 'now()' });
  }

  /** Everything two-factor of a member, for an erasure. */
  async eraseUser(userId: string, manager: EntityManager): Promise<void> {
    await manager.delete(TwoFactorChallengeEntity, { userId });
    await this.disable(userId, manager);
  }
}
