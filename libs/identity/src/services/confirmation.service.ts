import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Clock, CommonException } from '@kinship/common';
import type { UserEntity } from '../entities/user.entity';
import { identityConfig } from '../identity.config';
import { IdentityErrorCode, IdentityException } from '../identity.exception';
import { UserRepository } from '../repositories/user.repository';
import { PasswordService } from './password.service';
import { assertNotLocked } from './token.service';
import { type SecondFactor, TwoFactorService } from './two-factor.service';

/**
 * A signed-in member proves again that it is them before something that cannot be undone
 * (erasure, turning two-factor sign-in off): the password, and a second factor while two-factor
 * sign-in is on. A stolen access token alone is not enough; failures count towards the lock.
 */
@Injectable()
export class ConfirmationService {
  constructor(
    private readonly users: UserRepository,
    private readonly passwords: PasswordService,
    private readonly twoFactor: TwoFactorService,
    private readonly clock: Clock,
    @Inject(identityConfig.KEY) private readonly config: ConfigType<typeof identityConfig>,
  ) {}

  async confirm(userId: string, input: { password: string } & SecondFactor): Promise<UserEntity> {
    if (input.code && input.recoveryCode) {
      throw CommonException.validation([
        { field: 'code', message: 'send either code or recoveryCode' },
      ]);
    }
    const user = await this.users.findById(userId);
    if (!user || user.closedAt) {
      throw new IdentityException(IdentityErrorCode.SessionEnded, 'Sign in again.');
    }
    assertNotLocked(user.lockedUntil, this.clock.now());
    if (!(await this.passwords.verify(user.passwordHash, input.password))) {
      await this.failed(user.id);
      throw new IdentityException(IdentityErrorCode.ConfirmationFailed, 'The password is wrong.', [
        { field: 'password', message: 'does not match' },
      ]);
    }
    if (await this.twoFactor.isEnabled(user.id)) {
      if (!input.code && !input.recoveryCode) {
        throw CommonException.validation([
          { field: 'code', message: 'is required while two-factor sign-in is on' },
        ]);
      }
      if (!(await this.twoFactor.consume(user.id, input))) {
        await this.failed(user.id);
        throw new IdentityException(
          IdentityErrorCode.ConfirmationFailed,
          'The code is wrong or was already used.',
          [{ field: input.recoveryCode ? 'recoveryCode' : 'code', message: 'does not match' }],
        );
      }
    }
    return user;
  }

  private failed(userId: string): Promise<void> {
    return this.users.recordFailedLogin(
      userId,
      this.config.accountLockThreshold,
      this.config.accountLockMinutes,
    );
  }
}
