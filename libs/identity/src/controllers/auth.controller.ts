import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { LoginDto, OwnProfileDto, RefreshDto, RegisterDto, TokensDto } from '../dto/auth.dto';
import { MfaChallengeDto } from '../dto/two-factor.dto';
import { CurrentUser, Public } from '../guards/auth.decorators';
import { AuthRateLimit, AuthRateLimitGuard } from '../guards/auth-rate-limit.guard';
import { identityConfig } from '../identity.config';
import type { AuthUser } from '../roles';
import { AuthService, IssuedTokens } from '../services/auth.service';

@ApiTags('identity')
@ApiExtraModels(TokensDto, MfaChallengeDto)
@Controller('auth')
@UseGuards(AuthRateLimitGuard)
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(identityConfig.KEY) private readonly config: ConfigType<typeof identityConfig>,
  ) {}

  @Post('register')
  @Public()
  @AuthRateLimit('register')
  @ApiCreatedResponse({ type: TokensDto })
  async register(@Body() body: RegisterDto): Promise<TokensDto> {
    return this.tokens(await this.auth.register(body));
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @AuthRateLimit('login')
  @ApiOkResponse({
    description:
      'The tokens; or, when two-factor sign-in is on, `{mfaRequired: true, mfaToken}` for POST /auth/2fa/verify.',
    schema: {
      oneOf: [{ $ref: getSchemaPath(TokensDto) }, { $ref: getSchemaPath(MfaChallengeDto) }],
    },
  })
  async login(@Body() body: LoginDto): Promise<TokensDto | MfaChallengeDto> {
    const outcome = await this.auth.login(body);
    return 'mfaRequired' in outcome ? outcome : this.tokens(outcome);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @AuthRateLimit('refresh')
  @ApiOkResponse({ type: TokensDto })
  async refresh(@Body() body: RefreshDto): Promise<TokensDto> {
    return this.tokens(await this.auth.refresh(body.refreshToken));
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'The session and all its tokens are revoked.' })
  async logout(@CurrentUser() user: AuthUser): Promise<void> {
    await this.auth.logout(user);
  }

  private tokens(issued: IssuedTokens): TokensDto {
    return {
      user: OwnProfileDto.of(issued.user),
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken,
      expiresIn: this.config.accessTokenTtlSeconds,
    };
  }
}
