import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '@kinship/common';
import { type AuthUser, CurrentUser, Public, LimitedRead } from '@kinship/identity';
import { CreateThreadDto, ThreadDto, ThreadListQueryDto, ThreadPageDto } from '../dto/thread.dto';
import { ThreadService } from '../services/thread.service';

@ApiTags('discussions')
@ApiBearerAuth()
@Controller()
export class ThreadsController {
  constructor(private readonly threads: ThreadService) {}

  @Post('groups/:groupId/threads')
  @ApiCreatedResponse({ type: ThreadDto, description: 'The thread with its first post.' })
  @ApiForbiddenResponse({ description: 'Not an active member of this (public) group.' })
  @ApiNotFoundResponse({ description: 'Unknown group, or private and not an active member.' })
  create(
    @CurrentUser() user: AuthUser,
    @UuidParam('groupId') groupId: string,
    @Body() body: CreateThreadDto,
  ): Promise<ThreadDto> {
    return this.threads.create(user, groupId, body);
  }

  @Get('groups/:groupId/threads')
  @LimitedRead()
  @Public()
  @ApiOkResponse({ type: ThreadPageDto, description: 'Newest activity first.' })
  @ApiNotFoundResponse({ description: 'Unknown group, or private and not an active member.' })
  list(
    @CurrentUser() user: AuthUser | undefined,
    @UuidParam('groupId') groupId: string,
    @Query() query: ThreadListQueryDto,
  ): Promise<ThreadPageDto> {
    return this.threads.list(user, groupId, query);
  }

  @Get('threads/:threadId')
  @LimitedRead()
  @Public()
  @ApiOkResponse({ type: ThreadDto, description: 'The thread with its first post.' })
  @ApiNotFoundResponse({ description: 'Unknown, deleted, or in a group hidden from the caller.' })
  get(
    @CurrentUser() user: AuthUser | undefined,
    @UuidParam('threadId') threadId: string,
  ): Promise<ThreadDto> {
    return this.threads.get(user, threadId);
  }
}
