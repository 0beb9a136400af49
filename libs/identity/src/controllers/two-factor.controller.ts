import { Body, Controller, Get, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommonException } from '@kinship/common';
import { OwnProfileDto, TokensDto } from '../dto/auth.dto';
import {
  ConfirmWithSecondFactorDto,
  EnableTwoFactorDto,
  RecoveryCodesDto,
  type SecondFactorDto,
  TwoFactorSetupDto,
  TwoFactorStatusDto,
  VerifyTwoFactorDto,
} from '../dto/two-factor.dto';
import { AuthRateLimit, AuthRateLimitGuard } from '../guards/auth-rate-limit.guard';
import { CurrentUser, Public } from '../guards/auth.decorators';
import { identityConfig } from '../identity.config';
import { IdentityErrorCode, IdentityException } from '../identity.exception';
import { type AuthUser, isStaffRole } from '../roles';
import { AuthService } from '../services/auth.service';
import { ConfirmationService } from '../services/confirmation.service';
import { TwoFactorService } from '../services/two-factor.service';
import { TOTP_PARAMS } from '../two-factor/totp';

/**
 * Two-factor sign-in (TOTP, RFC 6238, with recovery codes): optional for members, required
 * before a staff role acts. Code checks share the sign-in rate limit and the account lock.
 */
@ApiTags('identity')
@Controller('auth/2fa')
@UseGuards(AuthRateLimitGuard)
export class TwoFactorController {
  constructor(
    private readonly auth: AuthService,
    private readonly twoFactor: TwoFactorService,
    private readonly confirmation: ConfirmationService,
    @Inject(identityConfig.KEY) private readonly config: ConfigType<typeof identityConfig>,
  ) {}

  @Get()
  @ApiBearerAuth()
  @ApiOkResponse({ type: TwoFactorStatusDto })
  async status(@CurrentUser() user: AuthUser): Promise<TwoFactorStatusDto> {
    const { enabledAt, recoveryCodesLeft } = await this.twoFactor.status(user.id);
    return {
      enabled: !!enabledAt,
      enabledAt: enabledAt?.toISOString() ?? null,
      recoveryCodesLeft,
      required: isStaffRole(user.heldRole ?? user.role),
    };
  }

  @Post('setup')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOkResponse({ type: TwoFactorSetupDto, description: 'Confirm with POST /auth/2fa/enable.' })
  async setup(@CurrentUser() user: AuthUser): Promise<TwoFactorSetupDto> {
    const { secret, uri } = await this.twoFactor.setup(user);
    return { secret, otpauthUri: uri, ...TOTP_PARAMS };
  }

  @Post('enable')
  @HttpCode(200)
  @AuthRateLimit('login')
  @ApiBearerAuth()
  @ApiOkResponse({ type: RecoveryCodesDto })
  async enable(
    @CurrentUser() user: AuthUser,
    @Body() body: EnableTwoFactorDto,
  ): Promise<RecoveryCodesDto> {
    return { recoveryCodes: await this.twoFactor.enable(user.id, body.code) };
  }

  @Post('disable')
  @HttpCode(204)
  @AuthRateLimit('login')
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Two-factor sign-in is off; recovery codes are void.' })
  async disable(
    @CurrentUser() user: AuthUser,
    @Body() body: ConfirmWithSecondFactorDto,
  ): Promise<void> {
    await this.assertEnabled(user.id);
    oneFactor(body);
    await this.confirmation.confirm(user.id, body);
    await this.twoFactor.disable(user.id);
  }

  @Post('recovery-codes')
  @HttpCode(200)
  @AuthRateLimit('login')
  @ApiBearerAuth()
  @ApiOkResponse({ type: RecoveryCodesDto, description: 'The earlier codes stop working.' })
  async recoveryCodes(
    @CurrentUser() user: AuthUser,
    @Body() body: ConfirmWithSecondFactorDto,
  ): Promise<RecoveryCodesDto> {
    await this.assertEnabled(user.id);
    oneFactor(body);
    await this.confirmation.confirm(user.id, body);
    return { recoveryCodes: await this.twoFactor.regenerateRecoveryCodes(user.id) };
  }

  @Post('verify')
  @Public()
  @HttpCode(200)
  @AuthRateLimit('login')
  @ApiOkResponse({ type: TokensDto, description: 'The second step of a sign-in.' })
  async verify(@Body() body: VerifyTwoFactorDto): Promise<TokensDto> {
    oneFactor(body);
    const issued = await this.auth.verifyTwoFactor(body.mfaToken, body);
    return {
      user: OwnProfileDto.of(issued.user),
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken,
      expiresIn: this.config.accessTokenTtlSeconds,
    };
  }

  private async assertEnabled(userId: string): Promise<void> {
    if (!(await this.twoFactor.isEnabled(userId))) {
      throw new IdentityException(IdentityErrorCode.TwoFactorNotEnabled);
    }
  }
}

/** Exactly one of `code` and `recoveryCode`. */
function oneFactor(body: SecondFactorDto): void {
  if (!!body.code === !!body.recoveryCode) {
    throw CommonException.validation([
      { field: 'code', message: 'send either code or recoveryCode' },
    ]);
  }
}
