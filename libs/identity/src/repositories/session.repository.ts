import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import { AuthSessionEntity } from '../entities/auth-session.entity';
import { RefreshTokenEntity } from '../entities/refresh-token.entity';
import type { PlatformRole } from '../roles';

export interface SessionPrincipal {
  userId: string;
  handle: string;
  role: PlatformRole;
  suspendedUntil: Date | null;
  closedAt: Date | null;
  sessionRevokedAt: Date | null;
  sessionExpiresAt: Date;
}

export interface LockedRefreshToken {
  tokenId: string;
  sessionId: string;
  userId: string;
  usedAt: Date | null;
  expiresAt: Date;
  sessionRevokedAt: Date | null;
  sessionExpiresAt: Date;
  /** The session's sign-in passed a second factor. */
  sessionTwoFactor: boolean;
}

/** Sessions (refresh-token families) and their tokens. */
@Injectable()
export class SessionRepository {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(AuthSessionEntity) private readonly sessions: Repository<AuthSessionEntity>,
  ) {}

  async createSession(
    userId: string,
    expiresAt: Date,
    twoFactor: boolean,
    manager?: EntityManager,
  ): Promise<AuthSessionEntity> {
    const repo = (manager ?? this.dataSource.manager).getRepository(AuthSessionEntity);
    return repo.save(
      repo.create({ userId, expiresAt, lastUsedAt: new Date(), revokedAt: null, twoFactor }),
    );
  }

  async addToken(
    sessionId: string,
    tokenHash: string,
    expiresAt: Date,
    manager?: EntityManager,
  ): Promise<void> {
    await (manager ?? this.dataSource.manager).insert(RefreshTokenEntity, {
      sessionId,
      tokenHash,
      expiresAt,
    });
  }

  /** Locks the token row for a rotation, so two uses of one token are strictly ordered. */
  async lockToken(
    tokenHash: string,
    manager: EntityManager,
  ): Promise<LockedRefreshToken | undefined> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT t.id AS token_id, t.session_id, s.user_id, t.used_at, t.expires_at,
              s.revoked_at AS session_revoked_at, s.expires_at AS session_expires_at,
              s.two_factor AS session_two_factor
         FROM refresh_tokens t JOIN auth_sessions s ON s.id = t.session_id
        WHERE t.token_hash = $1
        FOR UPDATE OF t, s`,
      [tokenHash],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      tokenId: r.token_id as string,
      sessionId: r.session_id as string,
      userId: r.user_id as string,
      usedAt: (r.used_at as Date | null) ?? null,
      expiresAt: r.expires_at as Date,
      sessionRevokedAt: (r.session_revoked_at as Date | null) ?? null,
      sessionExpiresAt: r.session_expires_at as Date,
      sessionTwoFactor: r.session_two_factor === true,
    };
  }

  async markTokenUsed(tokenId: string, manager: EntityManager): Promise<void> {
    await manager.update(RefreshTokenEntity, { id: tokenId }, { usedAt: () => 'now()' });
    await manager.query(
      `UPDATE auth_sessions SET last_used_at = now()
                           WHERE id = (SELECT session_id FROM refresh_tokens WHERE id = $1)`,
      [tokenId],
    );
  }

  async revokeSession(sessionId: string, reason: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).update(
      AuthSessionEntity,
      { id: sessionId, revokedAt: IsNull() },
      { revokedAt: () => 'now()', revokedReason: reason },
    );
  }

  async revokeAllSessions(userId: string, reason: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).update(
      AuthSessionEntity,
      { userId, revokedAt: IsNull() },
      { revokedAt: () => 'now()', revokedReason: reason },
    );
  }

  /** Ends every session of an erased account; its refresh tokens go with them. */
  async deleteAllSessions(userId: string, manager: EntityManager): Promise<number> {
    return (await manager.delete(AuthSessionEntity, { userId })).affected ?? 0;
  }

  /** The member's sign-in sessions (no token, no hash), for their data export. */
  async listForUser(userId: string): Promise<AuthSessionEntity[]> {
    return this.sessions.find({ where: { userId }, order: { createdAt: 'ASC' } });
  }

  /** One indexed lookup per authenticated request: the user's standing and the session's. */
  async principal(userId: string, sessionId: string): Promise<SessionPrincipal | undefined> {
    const rows: Record<string, unknown>[] = await this.sessions.query(
      `SELECT u.id, u.handle, u.role, u.suspended_until, u.closed_at, s.revoked_at, s.expires_at
         FROM auth_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND u.id = $2`,
      [sessionId, userId],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      userId: r.id as string,
      handle: r.handle as string,
      role: r.role as PlatformRole,
      suspendedUntil: (r.suspended_until as Date | null) ?? null,
      closedAt: (r.closed_at as Date | null) ?? null,
      sessionRevokedAt: (r.revoked_at as Date | null) ?? null,
      sessionExpiresAt: r.expires_at as Date,
    };
  }
}
