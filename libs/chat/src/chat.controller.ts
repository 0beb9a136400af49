import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PageQueryDto, UuidParam } from '@kinship/common';
import { type AuthUser, CurrentUser, LimitedRead } from '@kinship/identity';
import { ChatService } from './chat.service';
import { ChatMessagePageDto, SendMessageDto, SentMessageDto } from './dto/chat.dto';

/** REST twins of the chat events, for clients without a socket and for history. */
@ApiTags('chat')
@ApiBearerAuth()
@Controller('groups/:groupId/messages')
export class ChatController {
  constructor(private readonly chat: ChatService) {}

  @Get()
  @LimitedRead()
  @ApiOkResponse({ type: ChatMessagePageDto, description: 'Newest first; for active members.' })
  history(
    @CurrentUser() user: AuthUser,
    @UuidParam('groupId') groupId: string,
    @Query() query: PageQueryDto,
  ): Promise<ChatMessagePageDto> {
    return this.chat.history(user, groupId, query);
  }

  @Post()
  @ApiCreatedResponse({
    type: SentMessageDto,
    description: 'Stored and broadcast to the group (a held message only to its moderators).',
  })
  @ApiOkResponse({
    type: SentMessageDto,
    description: 'A retry: the message stored before, not broadcast again.',
  })
  async send(
    @CurrentUser() user: AuthUser,
    @UuidParam('groupId') groupId: string,
    @Body() body: SendMessageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SentMessageDto> {
    const { message, created, answer, publish } = await this.chat.send(user, { groupId, ...body });
    reply.status(created ? 201 : 200);
    setImmediate(publish); // after the answer is on its way, as over sockets
    return { ...message, ...answer };
  }
}
