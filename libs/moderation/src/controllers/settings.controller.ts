import { Body, Controller, Get, Patch } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '@kinship/common';
import { type AuthUser, CurrentUser, Public } from '@kinship/identity';
import { GroupSettingsDto, UpdateGroupSettingsDto } from '../dto/settings.dto';
import { GroupSettingsService } from '../services/group-settings.service';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller('groups/:groupId/settings')
export class GroupSettingsController {
  constructor(private readonly settings: GroupSettingsService) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: GroupSettingsDto, description: 'For whoever can see the group.' })
  @ApiNotFoundResponse({ description: 'Unknown group, or private and not an active member.' })
  get(
    @CurrentUser() user: AuthUser | undefined,
    @UuidParam('groupId') groupId: string,
  ): Promise<GroupSettingsDto> {
    return this.settings.get(user, groupId);
  }

  @Patch()
  @ApiOkResponse({
    type: GroupSettingsDto,
    description: 'Audited; applies at once on this process, within 5 s on others.',
  })
  @ApiForbiddenResponse({ description: "Not the group's moderator." })
  update(
    @CurrentUser() user: AuthUser,
    @UuidParam('groupId') groupId: string,
    @Body() body: UpdateGroupSettingsDto,
  ): Promise<GroupSettingsDto> {
    return this.settings.update(user, groupId, body);
  }
}
