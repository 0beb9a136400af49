import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SessionRepository } from '../repositories/session.repository';
import { UserRepository } from '../repositories/user.repository';
import { TwoFactorService } from '../services/two-factor.service';
import {
  type ErasureOutcome,
  type PersonalDataSource,
  PersonalDataRegistry,
} from './personal-data.registry';

/** The account itself: first in the export, closed last in an erasure. */
@Injectable()
export class ProfilePersonalData implements PersonalDataSource, OnModuleInit {
  readonly section = 'profile';
  readonly rank = 0;

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly twoFactor: TwoFactorService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async export(userId: string): Promise<object | null> {
    const user = await this.users.findById(userId);
    if (!user) return null;
    const { enabledAt, recoveryCodesLeft } = await this.twoFactor.status(userId);
    return {
      id: user.id,
      email: user.email,
      handle: user.handle,
      role: user.role,
      createdAt: user.createdAt.toISOString(),
      suspendedUntil: user.suspendedUntil?.toISOString() ?? null,
      failedSignIns: user.failedLogins,
      lockedUntil: user.lockedUntil?.toISOString() ?? null,
      // The secret and the recovery codes are not exported: they would let the file sign in.
      twoFactor: {
        enabled: !!enabledAt,
        enabledAt: enabledAt?.toISOString() ?? null,
        recoveryCodesLeft,
      },
    };
  }

  /** Sessions and their tokens go, the authenticator goes, the row becomes an anonymous stub. */
  async erase(manager: EntityManager, userId: string): Promise<ErasureOutcome> {
    const sessions = await this.sessions.deleteAllSessions(userId, manager);
    await this.twoFactor.eraseUser(userId, manager);
    await this.users.anonymise(userId, manager);
    return { counts: { sessionsEnded: sessions } };
  }
}

/** Sign-in sessions: when, how (with or without a second factor), when they ended. */
@Injectable()
export class SessionsPersonalData implements PersonalDataSource, OnModuleInit {
  readonly section = 'sessions';
  readonly rank = 1;

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly sessions: SessionRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async *export(userId: string): AsyncIterable<object> {
    for (const s of await this.sessions.listForUser(userId)) {
      yield {
        createdAt: s.createdAt.toISOString(),
        lastUsedAt: s.lastUsedAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
        twoFactor: s.twoFactor,
        endedAt: s.revokedAt?.toISOString() ?? null,
        endedBecause: s.revokedReason,
      };
    }
  }

  /** The profile's erasure ends the sessions. */
  async erase(): Promise<void> {}
}
