import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { DEFAULT_PAGE_SIZE, encodeCursor, type Page, type PageQueryDto } from '@kinship/common';
import { PostEntity } from '../entities/post.entity';
import { REACTION_KINDS, type ReactionKind } from '../entities/reaction.entity';
import { POST_COLUMNS, timeIdCursor, toPost } from './rows';

/** Who is reading: members see published posts; held ones only their author and moderators. */
export interface PostViewer {
  userId?: string;
  isModerator: boolean;
}

/** A page of posts and, per post id, the kinds of reaction the reader gave it. */
export type PostPage = Page<PostEntity> & { mine: Map<string, ReactionKind[]> };

export interface ReactionCounts {
  supportCount: number;
  helpfulCount: number;
  hugCount: number;
}

const COUNT_COLUMN: Record<ReactionKind, string> = {
  support: 'support_count',
  helpful: 'helpful_count',
  hug: 'hug_count',
};

/** The only place that reads or writes posts. */
@Injectable()
export class PostRepository {
  constructor(@InjectRepository(PostEntity) private readonly posts: Repository<PostEntity>) {}

  insert(data: Partial<PostEntity>, manager: EntityManager): Promise<PostEntity> {
    const repo = manager.getRepository(PostEntity);
    return repo.save(repo.create(data));
  }

  /** A post that is not deleted, in a thread that is not deleted; locked when `lock` is set. */
  findVisible(
    id: string,
    options: { manager?: EntityManager; lock?: boolean } = {},
  ): Promise<PostEntity | null> {
    const qb = (options.manager?.getRepository(PostEntity) ?? this.posts)
      .createQueryBuilder('p')
      .innerJoin('p.thread', 't', 't.deleted_at IS NULL')
      .where('p.id = :id AND p.deleted_at IS NULL', { id });
    if (options.lock) qb.setLock('pessimistic_write', undefined, ['p']);
    return qb.getOne();
  }

  /** Whether a reply may answer this post: it exists, undeleted, in the given thread. */
  existsInThread(postId: string, threadId: string, manager: EntityManager): Promise<boolean> {
    return manager
      .getRepository(PostEntity)
      .createQueryBuilder('p')
      .where('p.id = :postId AND p.thread_id = :threadId AND p.deleted_at IS NULL', {
        postId,
        threadId,
      })
      .getExists();
  }

  /**
   * A thread's posts, oldest first (keyset on created_at, id, as paginate() does it), with the
   * kinds of reaction the reader gave each one (same table family, so one query, not two).
   */
  async page(threadId: string, query: PageQueryDto, viewer: PostViewer): Promise<PostPage> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const params: unknown[] = [threadId];
    let mine = `'{}'::varchar[]`;
    let visible = `status = 'published'`;
    if (viewer.userId) {
      params.push(viewer.userId);
      const me = `$${params.length}`;
      mine = `ARRAY(SELECT r.kind FROM post_reactions r WHERE r.post_id = posts.id AND r.user_id = ${me})`;
      visible = `(status = 'published' OR (status = 'pending_review' AND author_id = ${me}))`;
    }
    if (viewer.isModerator) visible = `status IN ('published', 'pending_review')`;
    let after = '';
    if (query.cursor) {
      params.push(...timeIdCursor(query.cursor));
      after = `AND (created_at, id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    params.push(limit + 1);
    const rows: Record<string, any>[] = await this.posts.query(
      `SELECT ${POST_COLUMNS}, ${mine} AS my_kinds FROM posts
        WHERE thread_id = $1 AND deleted_at IS NULL AND ${visible} ${after}
        ORDER BY created_at, id LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const items = page.map(toPost);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
      mine: new Map(page.map((r) => [r.id, REACTION_KINDS.filter((k) => r.my_kinds.includes(k))])),
    };
  }

  async updateBody(
    post: PostEntity,
    patch: Pick<PostEntity, 'body' | 'html' | 'editedAt' | 'status'>,
    manager: EntityManager,
  ): Promise<void> {
    await manager.update(PostEntity, { id: post.id }, patch);
    Object.assign(post, patch);
  }

  /** Moderation's decision on held content. */
  async setStatus(
    postId: string,
    status: PostEntity['status'],
    manager: EntityManager,
  ): Promise<void> {
    await manager.update(PostEntity, { id: postId }, { status });
  }

  /** Whether the author has a published post in the group (first-post approval). */
  async hasPublished(groupId: string, authorId: string): Promise<boolean> {
    const rows: unknown[] = await this.posts.query(
      `SELECT 1 FROM posts WHERE author_id = $1 AND group_id = $2 AND status = 'published'
          AND deleted_at IS NULL LIMIT 1`,
      [authorId, groupId],
    );
    return rows.length > 0;
  }

  /** Posts by id with their thread's title, for the moderation queue. */
  async withThreadTitles(ids: string[]): Promise<(PostEntity & { threadTitle: string })[]> {
    if (!ids.length) return [];
    return this.posts
      .createQueryBuilder('p')
      .innerJoin('p.thread', 't')
      .addSelect('t.title', 'thread_title')
      .where('p.id IN (:...ids)', { ids })
      .getRawAndEntities()
      .then(({ entities, raw }) =>
        entities.map((p) => ({
          ...p,
          threadTitle: (raw as { p_id: string; thread_title: string }[]).find(
            (r) => r.p_id === p.id,
          )!.thread_title,
        })),
      );
  }

  async softDelete(
    postId: string,
    userId: string,
    now: Date,
    manager: EntityManager,
  ): Promise<void> {
    await manager.update(PostEntity, { id: postId }, { deletedAt: now, deletedBy: userId });
  }

  /** Moves one reaction counter by ±1 and answers all three, in the reaction's transaction. */
  async adjustReactionCount(
    postId: string,
    kind: ReactionKind,
    delta: 1 | -1,
    manager: EntityManager,
  ): Promise<ReactionCounts> {
    const column = COUNT_COLUMN[kind];
    const [rows] = (await manager.query(
      `UPDATE posts SET ${column} = ${column} + $2 WHERE id = $1
    RETURNING support_count, helpful_count, hug_count`,
      [postId, delta],
    )) as [{ support_count: number; helpful_count: number; hug_count: number }[], number];
    const r = rows[0];
    return { supportCount: r.support_count, helpfulCount: r.helpful_count, hugCount: r.hug_count };
  }
}

/** Whether this viewer may see this (undeleted) post, by its moderation status. */
export function isVisibleTo(post: PostEntity, viewer: PostViewer): boolean {
  if (post.status === 'published') return true;
  if (post.status !== 'pending_review') return false;
  return viewer.isModerator || (!!viewer.userId && post.authorId === viewer.userId);
}
