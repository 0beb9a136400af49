import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { ConfigType } from '@nestjs/config';
import { DataSource, type EntityManager } from 'typeorm';
import { inTransaction } from '@kinship/database';
import { UserEntity } from '../entities/user.entity';
import { identityConfig } from '../identity.config';
import { IdentityErrorCode, IdentityException } from '../identity.exception';
import { UserRepository } from '../repositories/user.repository';
import { SessionRepository } from '../repositories/session.repository';
import { PlatformRole } from '../roles';
import { PasswordService } from './password.service';
import { TwoFactorService } from './two-factor.service';
import { USER_ACCESS_REVOKED, type UserAccessRevokedEvent } from '../identity.events';

@Injectable()
export class UserService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UserService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly passwords: PasswordService,
    @Inject(identityConfig.KEY) private readonly config: ConfigType<typeof identityConfig>,
    private readonly events: EventEmitter2,
    private readonly twoFactor: TwoFactorService,
  ) {}

  async get(id: string): Promise<UserEntity> {
    const user = await this.users.findById(id);
    if (!user || user.closedAt) throw new IdentityException(IdentityErrorCode.UserNotFound);
    return user;
  }

  /**
   * An admin changes a role or a suspension. Suspension applies at once (every request and socket
   * checks it); a role applies to access tokens issued afterwards. Given a `manager`, the change
   * joins that transaction (moderation's suspension, with its audit entry) and the caller calls
   * `announceAccessRevoked` after its commit.
   */
  async adminUpdate(
    actorId: string,
    userId: string,
    patch: { role?: PlatformRole; suspendedUntil?: Date | null },
    manager?: EntityManager,
  ): Promise<UserEntity> {
    const work = async (manager: EntityManager) => {
      const user = await this.users.findById(userId, manager);
      if (!user || user.closedAt) throw new IdentityException(IdentityErrorCode.UserNotFound);
      const losesAdmin =
        user.role === 'admin' &&
        ((patch.role !== undefined && patch.role !== 'admin') ||
          (patch.suspendedUntil && patch.suspendedUntil > new Date()));
      if (losesAdmin && (await this.users.countOtherAdmins(user.id, manager)) === 0) {
        throw new IdentityException(
          IdentityErrorCode.LastAdmin,
          'This is the only admin: make another member admin first.',
        );
      }
      if (userId === actorId && patch.suspendedUntil) {
        throw new IdentityException(
          IdentityErrorCode.RoleRequired,
          'Admins cannot suspend themselves.',
        );
      }
      await this.users.update(user.id, patch, manager);
      return (await this.users.findById(user.id, manager))!;
    };
    if (manager) return work(manager);
    const updated = await inTransaction(this.dataSource, work);
    // A suspension applies at once: HTTP checks it on every request, live sockets are closed.
    if (updated.suspendedUntil && updated.suspendedUntil > new Date()) {
      this.announceAccessRevoked(userId);
    }
    return updated;
  }

  /** After the commit of a suspension: every live socket of the member is closed. */
  announceAccessRevoked(userId: string): void {
    this.events.emit(USER_ACCESS_REVOKED, { userId } satisfies UserAccessRevokedEvent);
  }

  /** Creates the first admin from BOOTSTRAP_ADMIN_EMAIL/PASSWORD when no such user exists. */
  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin || (await this.users.findByEmail(admin.email))) return;
    try {
      await this.createAdmin(admin.email, admin.password);
      this.logger.log('bootstrap admin created');
    } catch (error) {
      // Several processes may start at once: the one that lost the race finds the admin there.
      if (!(await this.users.findByEmail(admin.email))) throw error;
    }
  }

  /** Used by the bootstrap and by `cli create-admin`. The handle comes from the email. */
  createAdmin(email: string, password: string, handle?: string): Promise<UserEntity> {
    return this.createUser({ email, password, handle, role: 'admin' });
  }

  /** Operator path (cli, seeding): same password policy as registration. */
  async createUser(input: {
    email: string;
    password: string;
    handle?: string;
    role: PlatformRole;
  }): Promise<UserEntity> {
    const email = input.email.toLowerCase();
    const handle = input.handle ?? (await this.freeHandle(email.split('@')[0] ?? 'member'));
    this.passwords.assertAcceptable(input.password, { email, handle });
    const passwordHash = await this.passwords.hash(input.password);
    return this.users.create({ email, handle, passwordHash, role: input.role });
  }

  /** How the given users appear to other members (id and handle), by id. */
  async publicProfiles(ids: string[]): Promise<Map<string, { id: string; handle: string }>> {
    const rows = await this.users.publicProfiles([...new Set(ids)]);
    return new Map(rows.map((u) => [u.id, { id: u.id, handle: u.handle }]));
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findByEmail(email);
  }

  private async freeHandle(base: string): Promise<string> {
    const stem = (base.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24) || 'admin').padEnd(3, '_');
    for (let i = 0; ; i++) {
      const candidate = i === 0 ? stem : `${stem}-${i}`;
      if (!(await this.users.handleExists(candidate))) return candidate;
    }
  }

  /**
   * Operator path (`cli reset-two-factor`) for a member who lost both the authenticator and the
   * recovery codes: two-factor sign-in goes off and every session ends; they sign in with the
   * password and enrol again. False when no open account has this email.
   */
  async resetTwoFactor(email: string): Promise<boolean> {
    const user = await this.users.findByEmail(email);
    if (!user || user.closedAt) return false;
    await this.twoFactor.disable(user.id);
    await this.sessions.revokeAllSessions(user.id, 'two_factor_reset');
    this.events.emit(USER_ACCESS_REVOKED, { userId: user.id } satisfies UserAccessRevokedEvent);
    return true;
  }

  revokeAllSessions(userId: string, reason: string): Promise<void> {
    return this.sessions.revokeAllSessions(userId, reason);
  }
}
