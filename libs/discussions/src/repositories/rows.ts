import { CommonException, decodeCursor, isUuid } from '@kinship/common';
import { PostEntity } from '../entities/post.entity';
import { ThreadEntity } from '../entities/thread.entity';

/**
 * Hand-written SQL for the hottest reads (a thread, a page of its posts): the query builder's
 * SQL generation and hydration were the largest share of the ORM's CPU per page served. The
 * column lists below and the entities are kept in step by the e2e suites, which compare answers.
 */
export const THREAD_COLUMNS =
  'id, group_id, author_id, title, first_post_id, created_at, last_activity_at, reply_count, deleted_at, deleted_by';

export const POST_COLUMNS =
  'id, thread_id, group_id, author_id, reply_to_post_id, body, html, status, created_at, edited_at, support_count, helpful_count, hug_count, deleted_at, deleted_by';

type Row = Record<string, any>;

export function toThread(r: Row): ThreadEntity {
  return Object.assign(new ThreadEntity(), {
    id: r.id,
    groupId: r.group_id,
    authorId: r.author_id,
    title: r.title,
    firstPostId: r.first_post_id,
    createdAt: r.created_at,
    lastActivityAt: r.last_activity_at,
    replyCount: r.reply_count,
    deletedAt: r.deleted_at,
    deletedBy: r.deleted_by,
  });
}

export function toPost(r: Row): PostEntity {
  return Object.assign(new PostEntity(), {
    id: r.id,
    threadId: r.thread_id,
    groupId: r.group_id,
    authorId: r.author_id,
    replyToPostId: r.reply_to_post_id,
    body: r.body,
    html: r.html,
    status: r.status,
    createdAt: r.created_at,
    editedAt: r.edited_at,
    supportCount: r.support_count,
    helpfulCount: r.helpful_count,
    hugCount: r.hug_count,
    deletedAt: r.deleted_at,
    deletedBy: r.deleted_by,
  });
}

/**
 * The (time, id) key of a cursor this list issued. Checked here, so that a well-formed but forged
 * cursor is a 400 naming `cursor` rather than a failed cast in the database.
 */
export function timeIdCursor(cursor: string): [string, string] {
  const [at, id] = decodeCursor(cursor, 2);
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || !isUuid(id)) {
    throw CommonException.validation([
      { field: 'cursor', message: 'is not a cursor this list issued' },
    ]);
  }
  return [at, id];
}
