/**
 * The statements of one roll-up pass. $1, $2: the watermark (tx_id, id) before the pass; $3, $4:
 * the last event of this pass. Each statement reads the batch again through the (tx_id, id) index
 * (the plain tx_id range is redundant: it gives the planner a row estimate it can trust). Joins
 * go through indexes, so a plan stays sound for a batch of ten events or of a million.
 */
const BATCH = `tx_id BETWEEN $1::bigint AND $3::bigint
  AND (tx_id, id) > ($1::bigint, $2::bigint) AND (tx_id, id) <= ($3::bigint, $4::bigint)`;

export const CONTRIBUTION_KINDS_SQL = `('thread_created', 'post_created', 'chat_message_sent')`;
export const READ_KINDS_SQL = `('thread_read', 'chat_read')`;
export const ACTIVE_KINDS_SQL = `('thread_created', 'post_created', 'chat_message_sent', 'thread_read', 'chat_read')`;
export const MEMBERSHIP_KINDS_SQL = `('group_joined', 'group_left')`;
export const COUNTED_KINDS_SQL = `('thread_created', 'post_created', 'chat_message_sent', 'thread_read', 'chat_read', 'reaction_given')`;

/**
 * The last of the next `$4` events above the watermark whose transaction ended before $3 (the
 * oldest running one), with their number `n`.
 */
export const BATCH_END = `
  SELECT tx_id::text, id::text, n FROM (
    SELECT tx_id, id, row_number() OVER (ORDER BY tx_id, id) AS n FROM (
      SELECT tx_id, id FROM engagement_events
       WHERE (tx_id, id) > ($1::bigint, $2::bigint) AND tx_id < $3::bigint
       ORDER BY tx_id, id LIMIT $4) b) numbered
   ORDER BY n DESC LIMIT 1`;

export const ADD_DAYS = `
  INSERT INTO engagement_member_days AS d
         (group_id, user_id, day, threads, posts, chat_messages, thread_reads, chat_reads, reactions)
  SELECT group_id, user_id, (occurred_at AT TIME ZONE 'UTC')::date,
         count(*) FILTER (WHERE kind = 'thread_created'),
         count(*) FILTER (WHERE kind = 'post_created'),
         count(*) FILTER (WHERE kind = 'chat_message_sent'),
         count(*) FILTER (WHERE kind = 'thread_read'),
         count(*) FILTER (WHERE kind = 'chat_read'),
         count(*) FILTER (WHERE kind = 'reaction_given')
    FROM engagement_events
   WHERE ${BATCH} AND group_id IS NOT NULL AND kind IN ${COUNTED_KINDS_SQL}
   GROUP BY 1, 2, 3
  ON CONFLICT (group_id, user_id, day) DO UPDATE SET
     threads = d.threads + EXCLUDED.threads,
     posts = d.posts + EXCLUDED.posts,
     chat_messages = d.chat_messages + EXCLUDED.chat_messages,
     thread_reads = d.thread_reads + EXCLUDED.thread_reads,
     chat_reads = d.chat_reads + EXCLUDED.chat_reads,
     reactions = d.reactions + EXCLUDED.reactions`;

/**
 * Membership periods of the given (group, user) pairs from all their group_joined / group_left
 * events: a join opens a period unless one is open, a leave closes the open one (so the events
 * that change the state are those whose kind differs from the previous event's).
 */
export function periodsOf(pairs: string): string {
  return `
  SELECT group_id, user_id, range_agg(tstzrange(occurred_at, next_at)) AS memberships,
         min(occurred_at) AS first_joined_at
    FROM (SELECT group_id, user_id, kind, occurred_at,
                 lead(occurred_at) OVER (PARTITION BY group_id, user_id ORDER BY occurred_at, id) AS next_at
            FROM (SELECT e.group_id, e.user_id, e.kind, e.occurred_at, e.id,
                         lag(e.kind) OVER (PARTITION BY e.group_id, e.user_id ORDER BY e.occurred_at, e.id) AS prev
                    FROM ${pairs} p
                    JOIN engagement_events e ON e.group_id = p.group_id AND e.user_id = p.user_id
                   WHERE e.kind IN ${MEMBERSHIP_KINDS_SQL}) ev
           WHERE kind IS DISTINCT FROM coalesce(prev, 'group_left')) changes
   WHERE kind = 'group_joined'
   GROUP BY group_id, user_id`;
}

export const SET_MEMBERSHIPS = `
  WITH touched AS (
    SELECT DISTINCT group_id, user_id FROM engagement_events
     WHERE ${BATCH} AND kind IN ${MEMBERSHIP_KINDS_SQL})
  INSERT INTO engagement_members (group_id, user_id, memberships, first_joined_at)
  ${periodsOf('touched')}
  ON CONFLICT (group_id, user_id) DO UPDATE SET
     memberships = EXCLUDED.memberships, first_joined_at = EXCLUDED.first_joined_at`;

/**
 * The activity arrays of the members the batch touched: days, cumulative counts (packed two per
 * bigint, so they add up in the packed form) and the weeks since joining with activity. Only the
 * days from the batch's first day on are recomputed (from the daily rows) and appended to the
 * kept prefix; a member whose membership changed in the batch is rebuilt whole (the weeks count
 * from the first join).
 */
export const UPDATE_ACTIVITY = `
  WITH counted AS (
    SELECT group_id, user_id, min((occurred_at AT TIME ZONE 'UTC')::date) AS since
      FROM engagement_events
     WHERE ${BATCH} AND group_id IS NOT NULL AND kind IN ${COUNTED_KINDS_SQL}
     GROUP BY 1, 2),
  joined AS (
    SELECT DISTINCT group_id, user_id FROM engagement_events
     WHERE ${BATCH} AND kind IN ${MEMBERSHIP_KINDS_SQL}),
  kept AS (
    SELECT t.group_id, t.user_id, t.since,
           CASE WHEN t.since IS NULL THEN 0
                ELSE coalesce(width_bucket(t.since - 1, m.days), 0) END AS n
      FROM (SELECT group_id, user_id, CASE WHEN j.user_id IS NULL THEN c.since END AS since
              FROM counted c FULL JOIN joined j USING (group_id, user_id)) t
      LEFT JOIN engagement_members m ON m.group_id = t.group_id AND m.user_id = t.user_id),
  running AS (
    SELECT k.group_id, k.user_id, k.since, k.n, d.day,
           sum((d.threads::bigint << 32) + d.posts) OVER w AS a,
           sum((d.chat_messages::bigint << 32) + d.thread_reads) OVER w AS b,
           sum((d.chat_reads::bigint << 32) + d.reactions) OVER w AS c,
           d.threads + d.posts + d.chat_messages + d.thread_reads + d.chat_reads > 0 AS active
      FROM kept k
      JOIN engagement_member_days d ON d.group_id = k.group_id AND d.user_id = k.user_id
                                   AND (k.since IS NULL OR d.day >= k.since)
    WINDOW w AS (PARTITION BY k.group_id, k.user_id ORDER BY d.day)),
  fresh AS (
    SELECT group_id, user_id, since, n, array_agg(day ORDER BY day) AS days,
           array_agg(a ORDER BY day) AS a, array_agg(b ORDER BY day) AS b,
           array_agg(c ORDER BY day) AS c, array_agg(day) FILTER (WHERE active) AS active_days
      FROM running GROUP BY group_id, user_id, since, n)
  INSERT INTO engagement_members AS m
         (group_id, user_id, days, cum_a, cum_b, cum_c, active_weeks, active_week_bits)
  SELECT group_id, user_id, days, cum_a, cum_b, cum_c, weeks,
         (SELECT coalesce(bit_or(1::bigint << w), 0) FROM unnest(weeks) AS w WHERE w < 63)
    FROM (
  SELECT f.group_id, f.user_id,
         coalesce(o.days[1:f.n], '{}') || f.days AS days,
         coalesce(o.cum_a[1:f.n], '{}') || ARRAY(SELECT coalesce(o.cum_a[f.n], 0) + x FROM unnest(f.a) WITH ORDINALITY AS u(x, i) ORDER BY i) AS cum_a,
         coalesce(o.cum_b[1:f.n], '{}') || ARRAY(SELECT coalesce(o.cum_b[f.n], 0) + x FROM unnest(f.b) WITH ORDINALITY AS u(x, i) ORDER BY i) AS cum_b,
         coalesce(o.cum_c[1:f.n], '{}') || ARRAY(SELECT coalesce(o.cum_c[f.n], 0) + x FROM unnest(f.c) WITH ORDINALITY AS u(x, i) ORDER BY i) AS cum_c,
         ARRAY(SELECT DISTINCT w FROM (
                 SELECT unnest(CASE WHEN f.since IS NULL THEN NULL ELSE o.active_weeks END) AS w
                 UNION ALL
                 SELECT ((d - (o.first_joined_at AT TIME ZONE 'UTC')::date) / 7)::smallint
                   FROM unnest(f.active_days) AS d
                  WHERE d >= (o.first_joined_at AT TIME ZONE 'UTC')::date) weeks
               WHERE w IS NOT NULL ORDER BY w) AS weeks
    FROM fresh f
    LEFT JOIN engagement_members o ON o.group_id = f.group_id AND o.user_id = f.user_id) x
  ON CONFLICT (group_id, user_id) DO UPDATE SET
     days = EXCLUDED.days, cum_a = EXCLUDED.cum_a, cum_b = EXCLUDED.cum_b,
     cum_c = EXCLUDED.cum_c, active_weeks = EXCLUDED.active_weeks,
     active_week_bits = EXCLUDED.active_week_bits`;

export const ADD_FIRST_READS = `
  INSERT INTO engagement_members AS m (group_id, user_id, first_read_at)
  SELECT group_id, user_id, min(occurred_at) FROM engagement_events
   WHERE ${BATCH} AND group_id IS NOT NULL AND kind IN ${READ_KINDS_SQL}
   GROUP BY 1, 2
  ON CONFLICT (group_id, user_id) DO UPDATE SET
     first_read_at = LEAST(m.first_read_at, EXCLUDED.first_read_at)`;

/** The first later contribution by someone else in the conversation of `alias`'s event. */
export function firstReplySql(
  context: string,
  author: string,
  at: string,
  eventId: string,
  before?: string,
): string {
  return `(SELECT r.occurred_at FROM engagement_events r
            WHERE r.context_id = ${context} AND r.user_id <> ${author}
              AND (r.occurred_at, r.id) > (${at}, ${eventId})${before ? ` AND r.occurred_at < ${before}` : ''}
            ORDER BY r.occurred_at, r.id LIMIT 1)`;
}

/** Members' first contributions; a new first gets its first reply from the log. */
export const ADD_FIRST_CONTRIBUTIONS = `
  WITH firsts AS (
    SELECT DISTINCT ON (group_id, user_id) group_id, user_id, occurred_at, id, context_id
      FROM engagement_events
     WHERE ${BATCH} AND group_id IS NOT NULL AND kind IN ${CONTRIBUTION_KINDS_SQL}
     ORDER BY group_id, user_id, occurred_at, id),
  earlier AS (
    SELECT f.* FROM firsts f
     WHERE NOT EXISTS (
       SELECT 1 FROM engagement_members m
        WHERE m.group_id = f.group_id AND m.user_id = f.user_id
          AND (m.first_contribution_at, m.first_contribution_event_id) <= (f.occurred_at, f.id)))
  INSERT INTO engagement_members AS m
         (group_id, user_id, first_contribution_at, first_contribution_event_id,
          first_contribution_context_id, first_reply_at)
  SELECT f.group_id, f.user_id, f.occurred_at, f.id, f.context_id,
         ${firstReplySql('f.context_id', 'f.user_id', 'f.occurred_at', 'f.id')}
    FROM earlier f
  ON CONFLICT (group_id, user_id) DO UPDATE SET
     first_contribution_at = EXCLUDED.first_contribution_at,
     first_contribution_event_id = EXCLUDED.first_contribution_event_id,
     first_contribution_context_id = EXCLUDED.first_contribution_context_id,
     first_reply_at = EXCLUDED.first_reply_at`;

/**
 * Members whose first contribution is in a conversation the batch added to, and that had no reply
 * yet (or only a later one): their first reply is looked up again in the log (one index probe
 * each; without a reply, only their own later contributions lie in the way).
 */
export const ADD_MEMBER_REPLIES = `
  WITH c AS (
    SELECT context_id, min(occurred_at) AS t FROM engagement_events
     WHERE ${BATCH} AND context_id IS NOT NULL
     GROUP BY context_id),
  replies AS (
    SELECT m.group_id, m.user_id,
           ${firstReplySql('m.first_contribution_context_id', 'm.user_id', 'm.first_contribution_at', 'm.first_contribution_event_id')} AS t
      FROM c JOIN engagement_members m ON m.first_contribution_context_id = c.context_id
     WHERE m.first_reply_at IS NULL OR m.first_reply_at > c.t)
  UPDATE engagement_members m SET first_reply_at = r.t
    FROM replies r
   WHERE m.group_id = r.group_id AND m.user_id = r.user_id
     AND (m.first_reply_at IS NULL OR r.t < m.first_reply_at)`;

export const ADD_THREADS = `
  INSERT INTO engagement_threads
         (thread_id, group_id, author_id, created_at, created_event_id, first_reply_at)
  SELECT e.object_id, e.group_id, e.user_id, e.occurred_at, e.id,
         ${firstReplySql('e.object_id', 'e.user_id', 'e.occurred_at', 'e.id')}
    FROM engagement_events e
   WHERE ${BATCH.replace(/\(tx_id, id\)/g, '(e.tx_id, e.id)')}
     AND e.kind = 'thread_created' AND e.object_id IS NOT NULL AND e.group_id IS NOT NULL
  ON CONFLICT (thread_id) DO NOTHING`;

export const ADD_THREAD_REPLIES = `
  UPDATE engagement_threads t SET first_reply_at = r.t
    FROM (SELECT th.thread_id, min(b.occurred_at) AS t
            FROM engagement_events b
            JOIN engagement_threads th ON th.thread_id = b.context_id
           WHERE ${BATCH.replace(/\(tx_id, id\)/g, '(b.tx_id, b.id)')}
             AND b.user_id <> th.author_id
             AND (b.occurred_at, b.id) > (th.created_at, th.created_event_id)
           GROUP BY th.thread_id) r
   WHERE t.thread_id = r.thread_id AND (t.first_reply_at IS NULL OR r.t < t.first_reply_at)`;
