import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '@kinship/identity';
import { AuditPageDto, AuditQueryDto, AuditVerificationDto } from '../dto/audit.dto';
import { AuditService } from '../services/audit.service';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller('moderation/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOkResponse({
    type: AuditPageDto,
    description:
      'Newest first. Admins read every entry, platform moderators every moderation entry, group moderators their groups’ entries.',
  })
  @ApiForbiddenResponse({ description: 'Moderates no group.' })
  list(@CurrentUser() user: AuthUser, @Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.audit.list(user, query);
  }

  @Get('verify')
  @ApiOkResponse({
    type: AuditVerificationDto,
    description: 'Recomputes the hash chain over every entry (admins).',
  })
  @ApiForbiddenResponse({ description: 'Not an admin.' })
  async verify(@CurrentUser() user: AuthUser): Promise<AuditVerificationDto> {
    this.audit.assertAdmin(user);
    return this.audit.verify();
  }
}
