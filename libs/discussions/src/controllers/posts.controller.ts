import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { PageQueryDto, UuidParam } from '@kinship/common';
import { type AuthUser, CurrentUser, Public, LimitedRead } from '@kinship/identity';
import {
  CreatePostDto,
  PostDto,
  PostEditPageDto,
  PostListQueryDto,
  PostPageDto,
  UpdatePostDto,
} from '../dto/post.dto';
import { PostService } from '../services/post.service';

@ApiTags('discussions')
@ApiBearerAuth()
@Controller()
export class PostsController {
  constructor(private readonly posts: PostService) {}

  @Get('threads/:threadId/posts')
  @LimitedRead()
  @Public()
  @ApiOkResponse({
    type: PostPageDto,
    description: 'Oldest first. Serving a page to an active member records a read (engagement).',
  })
  @ApiNotFoundResponse({ description: 'Unknown, deleted, or in a group hidden from the caller.' })
  list(
    @CurrentUser() user: AuthUser | undefined,
    @UuidParam('threadId') threadId: string,
    @Query() query: PostListQueryDto,
  ): Promise<PostPageDto> {
    return this.posts.list(user, threadId, query);
  }

  @Post('threads/:threadId/posts')
  @ApiCreatedResponse({ type: PostDto })
  @ApiBadRequestResponse({ description: 'Invalid body, or replyToPostId not in this thread.' })
  @ApiForbiddenResponse({ description: 'Not an active member of this (public) group.' })
  reply(
    @CurrentUser() user: AuthUser,
    @UuidParam('threadId') threadId: string,
    @Body() body: CreatePostDto,
  ): Promise<PostDto> {
    return this.posts.reply(user, threadId, body);
  }

  @Patch('posts/:postId')
  @ApiOkResponse({ type: PostDto, description: 'The previous body goes to the edit history.' })
  @ApiForbiddenResponse({ description: "Neither the author nor a moderator of the post's group." })
  edit(
    @CurrentUser() user: AuthUser,
    @UuidParam('postId') postId: string,
    @Body() body: UpdatePostDto,
  ): Promise<PostDto> {
    return this.posts.edit(user, postId, body);
  }

  @Delete('posts/:postId')
  @HttpCode(204)
  @ApiNoContentResponse({
    description: "Soft delete. Deleting a thread's first post deletes the thread.",
  })
  @ApiForbiddenResponse({ description: "Neither the author nor a moderator of the post's group." })
  async remove(@CurrentUser() user: AuthUser, @UuidParam('postId') postId: string): Promise<void> {
    await this.posts.remove(user, postId);
  }

  @Get('posts/:postId/edits')
  @LimitedRead()
  @ApiOkResponse({
    type: PostEditPageDto,
    description: 'Oldest first; for the author and moderators.',
  })
  history(
    @CurrentUser() user: AuthUser,
    @UuidParam('postId') postId: string,
    @Query() query: PageQueryDto,
  ): Promise<PostEditPageDto> {
    return this.posts.history(user, postId, query);
  }
}
