import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, type Page } from '@kinship/common';
import { inTransaction } from '@kinship/database';
import { EngagementRecorder } from '@kinship/engagement';
import type { AuthUser } from '@kinship/identity';
import { HeldReads, ScreeningService } from '@kinship/moderation';
import { DiscussionsException } from '../discussions.exception';
import { PostDto } from '../dto/post.dto';
import { type CreateThreadDto, ThreadDto, type ThreadListQueryDto } from '../dto/thread.dto';
import { isVisibleTo, PostRepository } from '../repositories/post.repository';
import { ReactionRepository } from '../repositories/reaction.repository';
import { ThreadRepository } from '../repositories/thread.repository';
import { AuthorDirectory } from './author-directory';
import { DiscussionAccess } from './discussion-access';
import { MarkdownRenderer } from './markdown.renderer';

@Injectable()
export class ThreadService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: DiscussionAccess,
    private readonly threads: ThreadRepository,
    private readonly posts: PostRepository,
    private readonly reactions: ReactionRepository,
    private readonly authors: AuthorDirectory,
    private readonly markdown: MarkdownRenderer,
    private readonly recorder: EngagementRecorder,
    private readonly clock: Clock,
    private readonly screening: ScreeningService,
    private readonly heldReads: HeldReads,
  ) {}

  /**
   * A thread and its first post, written together; records `thread_created` (only). Screened
   * first (title and body): a block stores nothing, a hold stores the first post held.
   */
  async create(user: AuthUser, groupId: string, dto: CreateThreadDto): Promise<ThreadDto> {
    const access = await this.access.group(groupId, user, 'write');
    const screening = await this.screening.screen(groupId, [dto.title, dto.body], {
      userId: user.id,
      channel: 'posts',
      moderator: access.isModerator,
    });
    const html = this.markdown.render(dto.body);
    const now = this.clock.now();
    const { thread, post, item } = await inTransaction(this.dataSource, async (manager) => {
      const thread = await this.threads.insert(
        {
          groupId,
          authorId: user.id,
          title: dto.title,
          createdAt: now,
          lastActivityAt: now,
          replyCount: 0,
          firstPostId: null,
        },
        manager,
      );
      const post = await this.posts.insert(
        {
          threadId: thread.id,
          groupId,
          authorId: user.id,
          replyToPostId: null,
          body: dto.body,
          html,
          status: screening.status,
          createdAt: now,
        },
        manager,
      );
      await this.threads.setFirstPost(thread.id, post.id, manager);
      thread.firstPostId = post.id;
      await this.recorder.record(manager, {
        userId: user.id,
        groupId,
        kind: 'thread_created',
        objectId: thread.id,
        contextId: thread.id,
      });
      const target = { groupId, type: 'post' as const, id: post.id };
      return { thread, post, item: await this.screening.record(manager, screening, target) };
    });
    this.screening.announce(item);
    const author = { id: user.id, handle: user.handle };
    const firstPost = { ...PostDto.of(post, author), ...screening.answer };
    return { ...ThreadDto.of(thread, author, firstPost), status: post.status, ...screening.answer };
  }

  async list(
    user: AuthUser | undefined,
    groupId: string,
    query: ThreadListQueryDto,
  ): Promise<Page<ThreadDto>> {
    const access = await this.access.group(groupId, user, 'view');
    const page = await this.threads.list(groupId, query, {
      userId: user?.id,
      isModerator: access.isModerator,
    });
    const authorOf = await this.authors.for(page.items.map((t) => t.authorId));
    return {
      items: page.items.map((t) => ThreadDto.of(t, authorOf(t.authorId))),
      nextCursor: page.nextCursor,
    };
  }

  /** The thread with its first post. */
  async get(user: AuthUser | undefined, threadId: string): Promise<ThreadDto> {
    const { thread, access } = await this.access.thread(threadId, user, 'view');
    const first = thread.firstPostId ? await this.posts.findVisible(thread.firstPostId) : null;
    const viewer = { userId: user?.id, isModerator: access.isModerator };
    const firstPost = first && isVisibleTo(first, viewer) ? first : null;
    if (!firstPost && !access.isModerator) throw DiscussionsException.threadNotFound();
    if (user && firstPost?.status === 'pending_review' && access.isModerator) {
      await this.heldReads.record(
        user,
        [
          {
            type: 'post',
            id: firstPost.id,
            groupId: firstPost.groupId,
            authorId: firstPost.authorId,
          },
        ],
        'thread',
      );
    }
    const authorOf = await this.authors.for([thread.authorId]);
    const mine =
      user && firstPost ? await this.reactions.kindsBy(user.id, [firstPost.id]) : new Map();
    return ThreadDto.of(
      thread,
      authorOf(thread.authorId),
      firstPost
        ? PostDto.of(firstPost, authorOf(firstPost.authorId), mine.get(firstPost.id))
        : undefined,
    );
  }
}
