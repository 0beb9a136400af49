import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface ThreadExportRow {
  id: string;
  groupId: string;
  title: string;
  createdAt: Date;
  deletedAt: Date | null;
}

export interface PostExportRow {
  id: string;
  threadId: string;
  groupId: string;
  replyToPostId: string | null;
  body: string;
  status: string;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

export interface EditExportRow {
  postId: string;
  editorId: string;
  previousBody: string;
  editedAt: Date;
}

export interface ReactionExportRow {
  postId: string;
  kind: string;
  createdAt: Date;
}

/**
 * A thread the member started that stays readable after their erasure: not deleted, its first
 * post published and not deleted. (`t` is the thread's alias.)
 */
const KEPT_THREAD = `t.deleted_at IS NULL AND EXISTS (
  SELECT 1 FROM posts fp WHERE fp.id = t.first_post_id AND fp.deleted_at IS NULL AND fp.status = 'published')`;

/** A member's threads, posts, edits and reactions: their data export, and their erasure. */
@Injectable()
export class DiscussionsPersonalDataRepository {
  constructor(private readonly dataSource: DataSource) {}

  threads(
    userId: string,
    after: ThreadExportRow | undefined,
    size: number,
  ): Promise<ThreadExportRow[]> {
    return this.dataSource.query(
      `SELECT id, group_id AS "groupId", title, created_at AS "createdAt", deleted_at AS "deletedAt"
         FROM threads
        WHERE author_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))
        ORDER BY created_at, id LIMIT $4`,
      [userId, after?.createdAt ?? null, after?.id ?? null, size],
    );
  }

  posts(userId: string, after: PostExportRow | undefined, size: number): Promise<PostExportRow[]> {
    return this.dataSource.query(
      `SELECT id, thread_id AS "threadId", group_id AS "groupId", reply_to_post_id AS "replyToPostId",
              body, status, created_at AS "createdAt", edited_at AS "editedAt", deleted_at AS "deletedAt"
         FROM posts
        WHERE author_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))
        ORDER BY created_at, id LIMIT $4`,
      [userId, after?.createdAt ?? null, after?.id ?? null, size],
    );
  }

  /** The edit history of a page of posts, oldest edit first. */
  edits(postIds: string[]): Promise<EditExportRow[]> {
    if (!postIds.length) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT post_id AS "postId", editor_id AS "editorId", previous_body AS "previousBody",
              edited_at AS "editedAt"
         FROM post_edits WHERE post_id = ANY($1::uuid[]) ORDER BY edited_at, id`,
      [postIds],
    );
  }

  reactions(
    userId: string,
    after: ReactionExportRow | undefined,
    size: number,
  ): Promise<ReactionExportRow[]> {
    return this.dataSource.query(
      `SELECT post_id AS "postId", kind, created_at AS "createdAt"
         FROM post_reactions
        WHERE user_id = $1
          AND ($2::timestamptz IS NULL OR (created_at, post_id, kind) > ($2, $3::uuid, $4::varchar))
        ORDER BY created_at, post_id, kind LIMIT $5`,
      [userId, after?.createdAt ?? null, after?.postId ?? null, after?.kind ?? null, size],
    );
  }

  /** Takes the member's reactions back: the rows go and the posts' counters follow. */
  async eraseReactions(userId: string, manager: EntityManager): Promise<number> {
    for (const [kind, column] of [
      ['support', 'support_count'],
      ['helpful', 'helpful_count'],
      ['hug', 'hug_count'],
    ]) {
      await manager.query(
        `UPDATE posts SET ${column} = GREATEST(${column} - 1, 0)
          WHERE id IN (SELECT post_id FROM post_reactions WHERE user_id = $1 AND kind = $2)`,
        [userId, kind],
      );
    }
    const [, removed] = (await manager.query('DELETE FROM post_reactions WHERE user_id = $1', [
      userId,
    ])) as [unknown, number];
    return removed;
  }

  /**
   * Every post of the member goes (text wiped, deleted for readers) except the first posts of the
   * threads that stay readable; the edit history of all their posts goes too. Replies leave their
   * threads' reply counts.
   */
  async erasePosts(
    userId: string,
    manager: EntityManager,
  ): Promise<{ removed: number; kept: number; edits: number }> {
    const [, edits] = (await manager.query(
      'DELETE FROM post_edits WHERE post_id IN (SELECT id FROM posts WHERE author_id = $1)',
      [userId],
    )) as [unknown, number];
    const kept = `SELECT t.first_post_id FROM threads t WHERE t.author_id = $1 AND ${KEPT_THREAD}`;
    await manager.query(
      `UPDATE threads t SET reply_count = GREATEST(t.reply_count - c.n, 0)
         FROM (SELECT p.thread_id, count(*)::int AS n FROM posts p JOIN threads pt ON pt.id = p.thread_id
                WHERE p.author_id = $1 AND p.deleted_at IS NULL AND p.id <> pt.first_post_id
                GROUP BY p.thread_id) c
        WHERE t.id = c.thread_id`,
      [userId],
    );
    const [, removed] = (await manager.query(
      `UPDATE posts SET body = '', html = '', deleted_at = COALESCE(deleted_at, now()),
                        deleted_by = COALESCE(deleted_by, $1)
        WHERE author_id = $1 AND id NOT IN (${kept}) AND (body <> '' OR deleted_at IS NULL)`,
      [userId],
    )) as [unknown, number];
    const [{ n }] = (await manager.query(`SELECT count(*)::int AS n FROM (${kept}) k`, [
      userId,
    ])) as { n: number }[];
    return { removed, kept: n, edits };
  }

  /** Threads that do not stay readable lose their title and are deleted. */
  async eraseThreads(userId: string, manager: EntityManager): Promise<number> {
    const [, removed] = (await manager.query(
      `UPDATE threads t SET title = '', deleted_at = COALESCE(t.deleted_at, now()),
                            deleted_by = COALESCE(t.deleted_by, $1)
        WHERE t.author_id = $1 AND NOT (${KEPT_THREAD}) AND (t.title <> '' OR t.deleted_at IS NULL)`,
      [userId],
    )) as [unknown, number];
    return removed;
  }
}
