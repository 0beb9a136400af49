import { Body, Controller, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { UuidParam } from '@kinship/common';
import { type AuthUser, CurrentUser } from '@kinship/identity';
import { ReactionStateDto, ToggleReactionDto } from '../dto/reaction.dto';
import { ReactionService } from '../services/reaction.service';

@ApiTags('discussions')
@ApiBearerAuth()
@Controller()
export class ReactionsController {
  constructor(private readonly reactions: ReactionService) {}

  /** A toggle: 201 when the reaction was added, 200 when this call removed it. */
  @Post('posts/:postId/reactions')
  @ApiCreatedResponse({ type: ReactionStateDto, description: 'Added (`given: true`).' })
  @ApiOkResponse({ type: ReactionStateDto, description: 'Removed (`given: false`).' })
  @ApiForbiddenResponse({ description: 'Not an active member of the group.' })
  async toggle(
    @CurrentUser() user: AuthUser,
    @UuidParam('postId') postId: string,
    @Body() body: ToggleReactionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReactionStateDto> {
    const state = await this.reactions.toggle(user, postId, body.kind);
    if (!state.given) reply.status(200);
    return state;
  }
}
