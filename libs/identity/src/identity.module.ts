import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '@kinship/common';
import { AdminUsersController } from './controllers/admin-users.controller';
import { AuthController } from './controllers/auth.controller';
import { MeController } from './controllers/me.controller';
import { AuthSessionEntity } from './entities/auth-session.entity';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { UserEntity } from './entities/user.entity';
import { AccessGuard } from './guards/access.guard';
import { AuthRateLimitGuard } from './guards/auth-rate-limit.guard';
import { identityConfig } from './identity.config';
import { SessionRepository } from './repositories/session.repository';
import { UserRepository } from './repositories/user.repository';
import { AuthService } from './services/auth.service';
import { PasswordService } from './services/password.service';
import { TokenService } from './services/token.service';
import { UserService } from './services/user.service';

@Module({
  imports: [
    ConfigModule.forFeature(identityConfig),
    TypeOrmModule.forFeature([UserEntity, AuthSessionEntity, RefreshTokenEntity]),
    JwtModule.register({}),
  ],
  controllers: [AuthController, MeController, AdminUsersController],
  providers: [
    Clock,
    UserRepository,
    SessionRepository,
    PasswordService,
    TokenService,
    AuthService,
    UserService,
    AuthRateLimitGuard,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [TokenService, UserService],
})
export class IdentityModule {}
