import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CommonException, type Page, type PageQueryDto } from '@kinship/common';
import { inTransaction } from '@kinship/database';
import { EngagementRecorder } from '@kinship/engagement';
import type { AuthUser } from '@kinship/identity';
import { HeldReads, ScreeningService } from '@kinship/moderation';
import { DiscussionsErrorCode, DiscussionsException } from '../discussions.exception';
import {
  type CreatePostDto,
  PostDto,
  type PostEditDto,
  type PostListQueryDto,
  type UpdatePostDto,
} from '../dto/post.dto';
import type { PostEntity } from '../entities/post.entity';
import { PostEditRepository } from '../repositories/post-edit.repository';
import { PostRepository } from '../repositories/post.repository';
import { ReactionRepository } from '../repositories/reaction.repository';
import { ThreadRepository } from '../repositories/thread.repository';
import { AuthorDirectory } from './author-directory';
import { DiscussionAccess } from './discussion-access';
import { MarkdownRenderer } from './markdown.renderer';

@Injectable()
export class PostService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: DiscussionAccess,
    private readonly threads: ThreadRepository,
    private readonly posts: PostRepository,
    private readonly edits: PostEditRepository,
    private readonly reactions: ReactionRepository,
    private readonly authors: AuthorDirectory,
    private readonly markdown: MarkdownRenderer,
    private readonly recorder: EngagementRecorder,
    private readonly clock: Clock,
    private readonly screening: ScreeningService,
    private readonly heldReads: HeldReads,
  ) {}

  /** A page of a thread's posts, oldest first; serving it to an active member is a `thread_read`. */
  async list(
    user: AuthUser | undefined,
    threadId: string,
    query: PostListQueryDto,
  ): Promise<Page<PostDto>> {
    const { thread, access } = await this.access.thread(threadId, user, 'view');
    const page = await this.posts.page(threadId, query, {
      userId: user?.id,
      isModerator: access.isModerator,
    });
    if (user && access.isModerator) await this.recordHeldReads(user, page.items, 'posts');
    const authorOf = await this.authors.for(page.items.map((p) => p.authorId));
    if (user && access.membership?.status === 'active') {
      this.recorder.read('thread_read', user.id, thread.groupId, thread.id);
    }
    return {
      items: page.items.map((p) => PostDto.of(p, authorOf(p.authorId), page.mine.get(p.id))),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * A reply; records `post_created` and moves the thread's activity, in one transaction (a held
   * reply moves it when approved).
   */
  async reply(user: AuthUser, threadId: string, dto: CreatePostDto): Promise<PostDto> {
    const { thread, access } = await this.access.thread(threadId, user, 'write');
    const screening = await this.screening.screen(thread.groupId, [dto.body], {
      userId: user.id,
      channel: 'posts',
      moderator: access.isModerator,
    });
    const html = this.markdown.render(dto.body);
    const { post, item } = await inTransaction(this.dataSource, async (manager) => {
      if (
        dto.replyToPostId &&
        !(await this.posts.existsInThread(dto.replyToPostId, threadId, manager))
      ) {
        throw CommonException.validation([
          { field: 'replyToPostId', message: 'must be a post of this thread' },
        ]);
      }
      const createdAt = await this.threads.bumpForReply(
        threadId,
        this.clock.now(),
        manager,
        screening.status === 'published',
      );
      if (!createdAt) throw DiscussionsException.threadNotFound();
      const post = await this.posts.insert(
        {
          threadId,
          groupId: thread.groupId,
          authorId: user.id,
          replyToPostId: dto.replyToPostId ?? null,
          body: dto.body,
          html,
          status: screening.status,
          createdAt,
        },
        manager,
      );
      await this.recorder.record(manager, {
        userId: user.id,
        groupId: thread.groupId,
        kind: 'post_created',
        objectId: post.id,
        contextId: threadId,
      });
      const target = { groupId: thread.groupId, type: 'post' as const, id: post.id };
      return { post, item: await this.screening.record(manager, screening, target) };
    });
    this.screening.announce(item);
    return { ...PostDto.of(post, { id: user.id, handle: user.handle }), ...screening.answer };
  }

  /**
   * The author (while still a writing member) or a moderator; the previous body is kept. The new
   * body is screened like a new post: an edit cannot slip past what a post could not say. Held
   * content stays held when edited (approval is a moderator's).
   */
  async edit(user: AuthUser, postId: string, dto: UpdatePostDto): Promise<PostDto> {
    const { post: found, access } = await this.access.post(postId, user, 'view');
    this.access.assertCanChange(found, access, user);
    const screening = await this.screening.screen(found.groupId, [dto.body]);
    const html = this.markdown.render(dto.body);
    const { post, item } = await inTransaction(this.dataSource, async (manager) => {
      const post = await this.posts.findVisible(postId, { manager, lock: true });
      if (!post) throw DiscussionsException.postNotFound();
      if (post.body === dto.body) return { post, item: undefined };
      const now = this.clock.now();
      await this.edits.append(
        { postId, editorId: user.id, previousBody: post.body, editedAt: now },
        manager,
      );
      const status = screening.status === 'pending_review' ? screening.status : post.status;
      if (post.status === 'published' && status === 'pending_review') {
        // A reply held again after an edit stops counting until approved.
        const thread = await this.threads.findVisible(post.threadId, manager);
        if (thread && thread.firstPostId !== post.id) {
          await this.threads.adjustReplyCount(post.threadId, -1, manager);
        }
      }
      await this.posts.updateBody(post, { body: dto.body, html, editedAt: now, status }, manager);
      const target = { groupId: post.groupId, type: 'post' as const, id: post.id };
      return { post, item: await this.screening.record(manager, screening, target) };
    });
    this.screening.announce(item);
    return { ...(await this.present(post, user)), ...screening.answer };
  }

  /**
   * Soft delete: the post is gone for everyone reading (its `post_created` event stays). Deleting
   * a thread's first post deletes the thread, as in most forums: a reply without its question
   * reads as nonsense, and the title belongs to the first post.
   */
  async remove(user: AuthUser, postId: string): Promise<void> {
    const { post: found, access } = await this.access.post(postId, user, 'view');
    this.access.assertCanChange(found, access, user);
    await inTransaction(this.dataSource, async (manager) => {
      const post = await this.posts.findVisible(postId, { manager, lock: true });
      if (!post) throw DiscussionsException.postNotFound();
      const thread = await this.threads.findVisible(post.threadId, manager);
      const now = this.clock.now();
      await this.posts.softDelete(post.id, user.id, now, manager);
      if (thread?.firstPostId === post.id) {
        await this.threads.softDelete(thread.id, user.id, now, manager);
      } else if (post.status === 'published') {
        // Only published replies are counted.
        await this.threads.adjustReplyCount(post.threadId, -1, manager);
      }
    });
  }

  /** The edit history, for the author and the group's moderators. */
  async history(user: AuthUser, postId: string, query: PageQueryDto): Promise<Page<PostEditDto>> {
    const { post, access } = await this.access.post(postId, user, 'view');
    if (!access.isModerator && post.authorId !== user.id) {
      throw new DiscussionsException(DiscussionsErrorCode.AuthorOrModeratorRequired);
    }
    await this.recordHeldReads(user, [post], 'edits');
    const page = await this.edits.list(postId, query);
    const authorOf = await this.authors.for(page.items.map((e) => e.editorId));
    return {
      items: page.items.map((e) => ({
        previousBody: e.previousBody,
        editor: authorOf(e.editorId),
        editedAt: e.editedAt.toISOString(),
      })),
      nextCursor: page.nextCursor,
    };
  }

  /** A moderator shown held posts: the audit log records the read. */
  private recordHeldReads(user: AuthUser, posts: PostEntity[], via: string): Promise<void> {
    return this.heldReads.record(
      user,
      posts
        .filter((p) => p.status === 'pending_review')
        .map((p) => ({
          type: 'post' as const,
          id: p.id,
          groupId: p.groupId,
          authorId: p.authorId,
        })),
      via,
    );
  }

  private async present(post: PostEntity, user: AuthUser): Promise<PostDto> {
    const [authorOf, mine] = await Promise.all([
      this.authors.for([post.authorId]),
      this.reactions.kindsBy(user.id, [post.id]),
    ]);
    return PostDto.of(post, authorOf(post.authorId), mine.get(post.id));
  }
}
