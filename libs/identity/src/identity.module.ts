import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '@kinship/common';
import { AdminUsersController } from './controllers/admin-users.controller';
import { AuthController } from './controllers/auth.controller';
import { MeController } from './controllers/me.controller';
import { TwoFactorController } from './controllers/two-factor.controller';
import { AccountErasureEntity } from './entities/account-erasure.entity';
import { AuthSessionEntity } from './entities/auth-session.entity';
import {
  RecoveryCodeEntity,
  TwoFactorChallengeEntity,
  UserTwoFactorEntity,
} from './entities/two-factor.entity';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { UserEntity } from './entities/user.entity';
import { AccessGuard } from './guards/access.guard';
import { AuthRateLimitGuard } from './guards/auth-rate-limit.guard';
import { ReadRateLimitGuard } from './guards/read-rate-limit.guard';
import { identityConfig } from './identity.config';
import { readLimitConfig } from './read-limit.config';
import { SessionRepository } from './repositories/session.repository';
import { TwoFactorRepository } from './repositories/two-factor.repository';
import { UserRepository } from './repositories/user.repository';
import { AuthService } from './services/auth.service';
import { ConfirmationService } from './services/confirmation.service';
import { PasswordService } from './services/password.service';
import { TokenService } from './services/token.service';
import { TwoFactorService } from './services/two-factor.service';
import { UserService } from './services/user.service';
import { ProfilePersonalData, SessionsPersonalData } from './privacy/identity-personal-data.source';
import { PersonalDataRegistry } from './privacy/personal-data.registry';
import { PersonalDataService } from './privacy/personal-data.service';
import { PrivacyController } from './privacy/privacy.controller';

@Module({
  imports: [
    ConfigModule.forFeature(identityConfig),
    ConfigModule.forFeature(readLimitConfig),
    TypeOrmModule.forFeature([
      UserEntity,
      AuthSessionEntity,
      RefreshTokenEntity,
      UserTwoFactorEntity,
      RecoveryCodeEntity,
      TwoFactorChallengeEntity,
      AccountErasureEntity,
    ]),
    JwtModule.register({}),
  ],
  controllers: [
    AuthController,
    TwoFactorController,
    MeController,
    PrivacyController,
    AdminUsersController,
  ],
  providers: [
    Clock,
    UserRepository,
    SessionRepository,
    PasswordService,
    TokenService,
    TwoFactorRepository,
    TwoFactorService,
    ConfirmationService,
    AuthService,
    UserService,
    PersonalDataRegistry,
    PersonalDataService,
    ProfilePersonalData,
    SessionsPersonalData,
    AuthRateLimitGuard,
    // In this order: the caller is known before their reads are counted.
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useClass: ReadRateLimitGuard },
  ],
  exports: [TokenService, UserService, PersonalDataRegistry],
})
export class IdentityModule {}
