import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '@kinship/identity';
import { type ContentSource, ContentRegistry, type ModeratedContent } from '@kinship/moderation';
import { PostRepository } from '../repositories/post.repository';
import { ThreadRepository } from '../repositories/thread.repository';
import { DiscussionAccess } from './discussion-access';

const toContent = (p: {
  id: string;
  groupId: string;
  authorId: string;
  status: string;
}): ModeratedContent => ({
  id: p.id,
  type: 'post',
  groupId: p.groupId,
  authorId: p.authorId,
  status: p.status,
});

/** Lets moderation see, judge and decide on posts (held content) without our tables. */
@Injectable()
export class PostModerationSource implements ContentSource, OnModuleInit {
  readonly type = 'post' as const;

  constructor(
    private readonly registry: ContentRegistry,
    private readonly access: DiscussionAccess,
    private readonly posts: PostRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async findVisible(id: string, user: AuthUser): Promise<ModeratedContent | null> {
    const found = await this.access.post(id, user, 'view').catch(() => null);
    return found ? toContent(found.post) : null;
  }

  async find(id: string, manager?: EntityManager): Promise<ModeratedContent | null> {
    const post = await this.posts.findVisible(id, { manager });
    return post ? toContent(post) : null;
  }

  async context(ids: string[]): Promise<Map<string, Record<string, unknown>>> {
    const rows = await this.posts.withThreadTitles(ids);
    return new Map(
      rows.map((p) => [
        p.id,
        {
          post: { id: p.id, body: p.body, status: p.status, authorId: p.authorId },
          thread: { id: p.threadId, title: p.threadTitle },
        },
      ]),
    );
  }

  setStatus(id: string, status: 'published' | 'removed', manager: EntityManager): Promise<void> {
    return this.posts.setStatus(id, status, manager);
  }
}

/** Reports of whole threads (their first post is what is judged). */
@Injectable()
export class ThreadModerationSource implements ContentSource, OnModuleInit {
  readonly type = 'thread' as const;

  constructor(
    private readonly registry: ContentRegistry,
    private readonly access: DiscussionAccess,
    private readonly threads: ThreadRepository,
    private readonly posts: PostModerationSource,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async findVisible(id: string, user: AuthUser): Promise<ModeratedContent | null> {
    const found = await this.access.thread(id, user, 'view').catch(() => null);
    if (!found?.thread.firstPostId) return null;
    const first = await this.posts.findVisible(found.thread.firstPostId, user);
    return first && { ...first, id, type: 'thread' };
  }

  async find(id: string, manager?: EntityManager): Promise<ModeratedContent | null> {
    const thread = await this.threads.findVisible(id, manager);
    return thread
      ? {
          id,
          type: 'thread',
          groupId: thread.groupId,
          authorId: thread.authorId,
          status: 'published',
        }
      : null;
  }

  /** Every thread and its first post in two queries, whatever the number of threads. */
  async context(ids: string[]): Promise<Map<string, Record<string, unknown>>> {
    const threads = await this.threads.findVisibleMany(ids);
    const firstPosts = await this.posts.context(
      threads.map((t) => t.firstPostId).filter((id): id is string => !!id),
    );
    return new Map(
      threads.map((t) => [
        t.id,
        {
          thread: { id: t.id, title: t.title },
          post: (t.firstPostId && firstPosts.get(t.firstPostId)?.post) || undefined,
        },
      ]),
    );
  }
}
