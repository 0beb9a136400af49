import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '@kinship/common';
import type { AuthUser } from '@kinship/identity';
import {
  type ContentSource,
  ContentRegistry,
  type ModeratedContent,
  type ModerationStatus,
} from '@kinship/moderation';
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
    private readonly threads: ThreadRepository,
    private readonly clock: Clock,
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

  /**
   * Hide, restore, approve, reject or remove a post. A thread's first post stands for the thread:
   * removing it removes the thread. Replies count (and move the thread's activity) only while
   * published.
   */
  async setStatus(
    id: string,
    status: ModerationStatus,
    manager: EntityManager,
    actorId: string | null,
  ): Promise<void> {
    const post = await this.posts.findVisible(id, { manager, lock: true });
    if (!post || post.status === status) return;
    const thread = await this.threads.findVisible(post.threadId, manager);
    const isFirst = thread?.firstPostId === post.id;
    const now = this.clock.now();
    await this.posts.setStatus(id, status, manager);
    if (status === 'removed') {
      await this.posts.softDelete(id, actorId ?? post.authorId, now, manager);
      if (isFirst)
        await this.threads.softDelete(post.threadId, actorId ?? post.authorId, now, manager);
    }
    if (!isFirst) {
      const delta = (status === 'published' ? 1 : 0) - (post.status === 'published' ? 1 : 0);
      if (delta) await this.threads.adjustReplyCount(post.threadId, delta, manager);
    }
    if (status === 'published' && post.status === 'pending_review') {
      await this.threads.touch(post.threadId, now, manager);
    }
  }

  async hasPublished(groupId: string, authorId: string): Promise<boolean> {
    return this.posts.hasPublished(groupId, authorId);
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

  /** A thread stands and falls with its first post: its status is the first post's. */
  async find(id: string, manager?: EntityManager): Promise<ModeratedContent | null> {
    const thread = await this.threads.findVisible(id, manager);
    const first = thread?.firstPostId && (await this.posts.find(thread.firstPostId, manager));
    return thread && first
      ? {
          id,
          type: 'thread',
          groupId: thread.groupId,
          authorId: thread.authorId,
          status: first.status,
        }
      : null;
  }

  async setStatus(
    id: string,
    status: ModerationStatus,
    manager: EntityManager,
    actorId: string | null,
  ): Promise<void> {
    const thread = await this.threads.findVisible(id, manager);
    if (thread?.firstPostId)
      await this.posts.setStatus(thread.firstPostId, status, manager, actorId);
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
