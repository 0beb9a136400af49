import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '@kinship/common';
import { type AuthUser, CurrentUser } from '@kinship/identity';
import { ActionResultDto, DirectActionDto, ResolveReportDto } from '../dto/action.dto';
import { ActionService } from '../services/action.service';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller('moderation')
export class ActionsController {
  constructor(private readonly actions: ActionService) {}

  @Post('reports/:reportId/resolve')
  @HttpCode(200)
  @ApiOkResponse({
    type: ActionResultDto,
    description:
      'Applied and audited at once. dismiss, hide and remove close every open report of the target; warn, mute, ban and suspend close this one.',
  })
  @ApiBadRequestResponse({ description: 'durationMinutes missing for mute or given elsewhere.' })
  @ApiForbiddenResponse({ description: "Not the group's moderator; suspend is for admins." })
  @ApiNotFoundResponse({ description: 'No such report (or in a group hidden from the caller).' })
  @ApiConflictResponse({
    description: 'Resolved already; held content (approve or reject it); a moderator as target.',
  })
  resolve(
    @CurrentUser() user: AuthUser,
    @UuidParam('reportId') reportId: string,
    @Body() body: ResolveReportDto,
  ): Promise<ActionResultDto> {
    return this.actions.resolve(user, reportId, body);
  }

  @Post('actions')
  @ApiCreatedResponse({
    type: ActionResultDto,
    description:
      'An action without a report: on content (its group is implied) or on a member (with groupId for mute, unmute, ban and unban).',
  })
  @ApiForbiddenResponse({ description: "Not the group's moderator; suspend is for admins." })
  @ApiNotFoundResponse({ description: 'No such content or user.' })
  @ApiConflictResponse({ description: 'The content is not in a state the action applies to.' })
  direct(@CurrentUser() user: AuthUser, @Body() body: DirectActionDto): Promise<ActionResultDto> {
    return this.actions.direct(user, body);
  }
}
