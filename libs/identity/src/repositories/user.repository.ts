import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { uniqueViolation } from '@kinship/database';
import { UserEntity } from '../entities/user.entity';
import { IdentityErrorCode, IdentityException } from '../identity.exception';
import type { PlatformRole } from '../roles';

/** How an erased account appears wherever its remaining content shows an author. */
export const DELETED_MEMBER_HANDLE = 'deleted member';

/** The only place that reads or writes the users table. */
@Injectable()
export class UserRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  private repo(manager?: EntityManager): Repository<UserEntity> {
    return manager ? manager.getRepository(UserEntity) : this.users;
  }

  findById(id: string, manager?: EntityManager): Promise<UserEntity | null> {
    return this.repo(manager).findOneBy({ id });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email: email.toLowerCase() });
  }

  /** Inserts a user; a taken email or handle becomes a 409 naming which. */
  async create(
    data: { email: string; handle: string; passwordHash: string; role?: PlatformRole },
    manager?: EntityManager,
  ): Promise<UserEntity> {
    const entity = this.repo(manager).create({
      email: data.email.toLowerCase(),
      handle: data.handle,
      handleKey: data.handle.toLowerCase(),
      passwordHash: data.passwordHash,
      role: data.role ?? 'member',
    });
    try {
      return await this.repo(manager).save(entity);
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (constraint === 'users_email_key') {
        throw new IdentityException(
          IdentityErrorCode.EmailTaken,
          'An account with this email already exists.',
          [{ field: 'email', message: 'is already registered' }],
        );
      }
      if (constraint === 'users_handle_key_key') {
        throw new IdentityException(
          IdentityErrorCode.HandleTaken,
          'Another member uses this handle.',
          [{ field: 'handle', message: 'is already taken' }],
        );
      }
      throw error;
    }
  }

  async recordFailedLogin(id: string, threshold: number, lockMinutes: number): Promise<void> {
    // One statement, so concurrent failures cannot lose a count.
    await this.users.query(
      `UPDATE users
          SET failed_logins = failed_logins + 1,
              locked_until = CASE WHEN failed_logins + 1 >= $2
                                  THEN now() + make_interval(mins => $3) ELSE locked_until END
        WHERE id = $1`,
      [id, threshold, lockMinutes],
    );
  }

  async recordSuccessfulLogin(id: string, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ id }, { failedLogins: 0, lockedUntil: null });
  }

  async update(
    id: string,
    patch: Partial<Pick<UserEntity, 'role' | 'suspendedUntil'>>,
    manager?: EntityManager,
  ): Promise<void> {
    await this.repo(manager).update({ id }, patch);
  }

  /** Admins other than `exceptId` whose account is open, locked for the transaction. */
  async countOtherAdmins(exceptId: string, manager: EntityManager): Promise<number> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM users WHERE role = 'admin' AND id <> $1 AND closed_at IS NULL FOR UPDATE`,
      [exceptId],
    );
    return rows.length;
  }

  /** Id and handle of each user: what other members may see of them. */
  async publicProfiles(ids: string[]): Promise<{ id: string; handle: string }[]> {
    if (!ids.length) return [];
    return this.users
      .createQueryBuilder('u')
      .select(['u.id', 'u.handle'])
      .where('u.id IN (:...ids)', { ids })
      .getMany();
  }

  /** The user row, locked for an erasure (a second, concurrent erasure waits and then sees it). */
  lockForUpdate(id: string, manager: EntityManager): Promise<UserEntity | null> {
    return manager
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .setLock('pessimistic_write')
      .where('u.id = :id', { id })
      .getOne();
  }

  /**
   * Erasure: the row keeps its id (what remains of the member's content and events points at it)
   * and loses everything that leads to the person. Email and handle become free again.
   */
  async anonymise(id: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE users
          SET email = NULL, password_hash = NULL, handle = $2,
              handle_key = 'deleted:' || replace(id::text, '-', ''), role = 'member',
              suspended_until = NULL, failed_logins = 0, locked_until = NULL,
              closed_at = now(), updated_at = now()
        WHERE id = $1`,
      [id, DELETED_MEMBER_HANDLE],
    );
  }

  async handleExists(handle: string): Promise<boolean> {
    return this.users.existsBy({ handleKey: handle.toLowerCase() });
  }
}
