import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '@kinship/common';
import { type AuthUser, CurrentUser } from '@kinship/identity';
import { HeldDecisionDto, QueuePageDto, QueueQueryDto, RejectHeldDto } from '../dto/queue.dto';
import { CreateRuleDto, RuleDto, RuleListQueryDto, RulePageDto } from '../dto/rule.dto';
import { QueueService } from '../services/queue.service';
import { RuleService } from '../services/rule.service';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller('moderation')
export class ModerationController {
  constructor(
    private readonly rules: RuleService,
    private readonly queueService: QueueService,
  ) {}

  @Get('queue')
  @ApiOkResponse({
    type: QueuePageDto,
    description: 'Open reports and held content: most urgent first (self-harm), then oldest.',
  })
  @ApiForbiddenResponse({ description: 'Moderates no group.' })
  queue(@CurrentUser() user: AuthUser, @Query() query: QueueQueryDto): Promise<QueuePageDto> {
    return this.queueService.queue(user, query);
  }

  @Post('held/:contentId/approve')
  @HttpCode(200)
  @ApiOkResponse({ type: HeldDecisionDto, description: 'Published (a chat message is broadcast).' })
  @ApiNotFoundResponse({ description: 'No held post or message with this id.' })
  approve(
    @CurrentUser() user: AuthUser,
    @UuidParam('contentId') contentId: string,
  ): Promise<HeldDecisionDto> {
    return this.queueService.approve(user, contentId);
  }

  @Post('held/:contentId/reject')
  @HttpCode(200)
  @ApiOkResponse({ type: HeldDecisionDto, description: 'Removed.' })
  @ApiNotFoundResponse({ description: 'No held post or message with this id.' })
  reject(
    @CurrentUser() user: AuthUser,
    @UuidParam('contentId') contentId: string,
    @Body() body: RejectHeldDto,
  ): Promise<HeldDecisionDto> {
    return this.queueService.reject(user, contentId, body.reason);
  }

  @Get('rules')
  @ApiOkResponse({
    type: RulePageDto,
    description: "A group's rules (?groupId=) or the global ones.",
  })
  listRules(@CurrentUser() user: AuthUser, @Query() query: RuleListQueryDto): Promise<RulePageDto> {
    return this.rules.list(user, query);
  }

  @Post('rules')
  @ApiCreatedResponse({ type: RuleDto })
  @ApiForbiddenResponse({ description: 'Not a moderator of the group (admins only for global).' })
  createRule(@CurrentUser() user: AuthUser, @Body() body: CreateRuleDto): Promise<RuleDto> {
    return this.rules.create(user, body);
  }

  @Delete('rules/:ruleId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted; screening stops applying it within seconds.' })
  async deleteRule(
    @CurrentUser() user: AuthUser,
    @UuidParam('ruleId') ruleId: string,
  ): Promise<void> {
    await this.rules.remove(user, ruleId);
  }
}
