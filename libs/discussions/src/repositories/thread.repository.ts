import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { type Page, type PageQueryDto, paginate } from '@kinship/common';
import { ThreadEntity } from '../entities/thread.entity';
import { THREAD_COLUMNS, timeIdCursor, toThread } from './rows';

/** The only place that reads or writes threads. */
@Injectable()
export class ThreadRepository {
  constructor(@InjectRepository(ThreadEntity) private readonly threads: Repository<ThreadEntity>) {}

  insert(data: Partial<ThreadEntity>, manager: EntityManager): Promise<ThreadEntity> {
    const repo = manager.getRepository(ThreadEntity);
    return repo.save(repo.create(data));
  }

  async setFirstPost(threadId: string, postId: string, manager: EntityManager): Promise<void> {
    await manager.update(ThreadEntity, { id: threadId }, { firstPostId: postId });
  }

  /** A thread that is not deleted. */
  async findVisible(id: string, manager?: EntityManager): Promise<ThreadEntity | null> {
    const rows: Record<string, unknown>[] = await (manager ?? this.threads.manager).query(
      `SELECT ${THREAD_COLUMNS} FROM threads WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    );
    return rows.length ? toThread(rows[0]) : null;
  }

  /** Several threads by id (deleted ones left out), in one query. */
  async findVisibleMany(ids: string[]): Promise<ThreadEntity[]> {
    if (!ids.length) return [];
    const rows: Record<string, unknown>[] = await this.threads.manager.query(
      `SELECT ${THREAD_COLUMNS} FROM threads WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL`,
      [ids],
    );
    return rows.map(toThread);
  }

  /**
   * A group's threads, newest activity first. A thread whose first post is held shows only to
   * its author and the group's moderators.
   */
  list(
    groupId: string,
    query: PageQueryDto,
    viewer: { userId?: string; isModerator: boolean },
  ): Promise<Page<ThreadEntity>> {
    if (query.cursor) timeIdCursor(query.cursor);
    const qb = this.threads
      .createQueryBuilder('t')
      .where('t.group_id = :groupId AND t.deleted_at IS NULL', { groupId });
    if (!viewer.isModerator) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM posts fp WHERE fp.id = t.first_post_id
           AND (fp.status = 'published' OR (fp.status = 'pending_review' AND fp.author_id = :viewerId)))`,
        { viewerId: viewer.userId ?? '00000000-0000-0000-0000-000000000000' },
      );
    }
    return paginate(
      qb,
      query,
      [
        {
          expression: 't.last_activity_at',
          cast: 'timestamptz',
          toCursor: (t: ThreadEntity) => t.lastActivityAt.toISOString(),
        },
        { expression: 't.id', cast: 'uuid', toCursor: (t: ThreadEntity) => t.id },
      ],
      'DESC',
    );
  }

  /**
   * Counts a new reply and moves the thread's activity on, locking the thread row until commit.
   * Replies of one thread are thereby written one after the other, each strictly later (by at
   * least 1 ms) than the one before: the time returned is the new post's `created_at`, so the
   * posts list's keyset never meets a post that commits behind a page already served.
   * A held reply (`counted` false) takes the lock and a time but neither counts nor moves the
   * thread's activity: that happens when a moderator approves it (`touch`).
   * Undefined when the thread is gone.
   */
  async bumpForReply(
    threadId: string,
    now: Date,
    manager: EntityManager,
    counted = true,
  ): Promise<Date | undefined> {
    if (!counted) {
      const rows = (await manager.query(
        `SELECT GREATEST($2::timestamptz, last_activity_at + interval '1 millisecond') AS at
           FROM threads WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`,
        [threadId, now],
      )) as { at: Date }[];
      return rows[0]?.at;
    }
    const [rows] = (await manager.query(
      `UPDATE threads
          SET last_activity_at = GREATEST($2::timestamptz, last_activity_at + interval '1 millisecond'),
              reply_count = reply_count + 1
        WHERE id = $1 AND deleted_at IS NULL
    RETURNING last_activity_at`,
      [threadId, now],
    )) as [{ last_activity_at: Date }[], number];
    return rows[0]?.last_activity_at;
  }

  /** Approved content is new activity: the thread moves up (never back). */
  async touch(threadId: string, now: Date, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE threads SET last_activity_at = GREATEST($2::timestamptz, last_activity_at)
        WHERE id = $1`,
      [threadId, now],
    );
  }

  /**
   * A thread that is not deleted, with its first post's status and author (visibility of the
   * whole thread follows its first post), in one query.
   */
  async findVisibleWithFirstPost(
    id: string,
  ): Promise<
    (ThreadEntity & { firstPostStatus: string | null; firstPostAuthorId: string | null }) | null
  > {
    const rows: Record<string, unknown>[] = await this.threads.manager.query(
      `SELECT ${THREAD_COLUMNS.split(', ')
        .map((c) => `t.${c}`)
        .join(', ')}, fp.status AS first_post_status, fp.author_id AS first_post_author_id
         FROM threads t LEFT JOIN posts fp ON fp.id = t.first_post_id
        WHERE t.id = $1 AND t.deleted_at IS NULL`,
      [id],
    );
    if (!rows.length) return null;
    return Object.assign(toThread(rows[0]), {
      firstPostStatus: rows[0].first_post_status as string | null,
      firstPostAuthorId: rows[0].first_post_author_id as string | null,
    });
  }

  async adjustReplyCount(threadId: string, delta: number, manager: EntityManager): Promise<void> {
    await manager.increment(ThreadEntity, { id: threadId }, 'replyCount', delta);
  }

  async softDelete(
    threadId: string,
    userId: string,
    now: Date,
    manager: EntityManager,
  ): Promise<void> {
    await manager.update(ThreadEntity, { id: threadId }, { deletedAt: now, deletedBy: userId });
  }
}
