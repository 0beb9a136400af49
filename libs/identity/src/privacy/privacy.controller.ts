import { Body, Controller, Delete, Get, HttpCode, StreamableFile, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { EraseAccountDto, PersonalDataDto } from '../dto/personal-data.dto';
import { AuthRateLimit, AuthRateLimitGuard } from '../guards/auth-rate-limit.guard';
import { CurrentUser } from '../guards/auth.decorators';
import type { AuthUser } from '../roles';
import { PersonalDataService } from './personal-data.service';

@ApiTags('identity')
@ApiBearerAuth()
@Controller('me')
@UseGuards(AuthRateLimitGuard)
export class PrivacyController {
  constructor(private readonly personalData: PersonalDataService) {}

  @Get('data')
  @ApiProduces('application/json')
  @ApiOkResponse({
    type: PersonalDataDto,
    description: 'Everything the platform holds about the caller, streamed as one JSON document.',
  })
  data(@CurrentUser() user: AuthUser): StreamableFile {
    return new StreamableFile(this.personalData.export(user.id), {
      type: 'application/json; charset=utf-8',
      disposition: 'attachment; filename="kinship-personal-data.json"',
    });
  }

  @Delete()
  @HttpCode(204)
  @AuthRateLimit('login')
  @ApiNoContentResponse({
    description:
      'The account is closed and its identity removed at once; content is removed or kept de-identified (README, "Privacy and security").',
  })
  async erase(@CurrentUser() user: AuthUser, @Body() body: EraseAccountDto): Promise<void> {
    await this.personalData.erase(user.id, body);
  }
}
