import {
  CONTRIBUTION_KINDS_SQL,
  COUNTED_KINDS_SQL,
  firstReplySql,
  MEMBERSHIP_KINDS_SQL,
  periodsOf,
  READ_KINDS_SQL,
} from '../rollup/rollup-sql';

/**
 * The classified members of METRICS.md in SQL, over the roll-ups up to the watermark and the log
 * above it ("the tail"). Parameters:
 *  $1 group ids, $2 from, $3 to, $4 participants (null: every member), $5 poster threshold,
 *  $6 $7 watermark (tx_id, id), $8 use the roll-ups (false: everything from the log),
 *  $9 $10 the whole UTC days inside the window [day_lo, day_hi), $11 $12 the same as times.
 * Only events before the window's end count for anything (so a past window's answer stays put).
 * The tail's condition is written with OR rather than a row comparison: the planner estimates it
 * from the statistics of tx_id, so a large tail (or the whole log) gets hash joins.
 * Counts over the whole days come from each member's cumulative arrays (two binary searches), the
 * partial first and last days and the tail from the log.
 * The participants are a semi-join (`IN (SELECT unnest($4))`), not `= ANY($4)`: given the list
 * as a constant, the planner estimated `= ANY` element by element, which for a study of 66,000
 * participants took 250-290 ms of planning per query; the semi-join plans in 8 ms.
 */
export function memberCtes(summaries: boolean): string {
  // The end of the membership (leftAt) is for the member summaries only.
  const until = summaries
    ? 'upper(m.memberships * tstzmultirange(tstzrange(NULL, $3)))'
    : 'NULL::timestamptz';
  const untilP = until.replace('m.memberships', 'p.memberships');
  return `
WITH
tail AS MATERIALIZED (
  SELECT id, group_id, user_id, kind, occurred_at, context_id, object_id
    FROM engagement_events
   WHERE (tx_id > $6::bigint OR (tx_id = $6::bigint AND id > $7::bigint))
     AND group_id = ANY($1::uuid[]) AND occurred_at < $3),
tail_members AS (
  SELECT DISTINCT group_id, user_id FROM tail WHERE kind IN ${MEMBERSHIP_KINDS_SQL}),
tail_contexts AS (
  SELECT DISTINCT context_id FROM tail WHERE context_id IS NOT NULL),
classified AS (
  SELECT m.group_id, m.user_id, m.first_joined_at, ${rolledColumns('m')}, false AS weeks_from_log,
         ${until} AS until
    FROM engagement_members m ${arraySearch('m')}
   WHERE $8 AND m.group_id = ANY($1::uuid[]) AND m.memberships && tstzrange($2, $3)
     AND ($4::uuid[] IS NULL OR m.user_id IN (SELECT unnest($4::uuid[])))
     AND NOT EXISTS (SELECT 1 FROM tail_members t WHERE t.group_id = m.group_id AND t.user_id = m.user_id)
  UNION ALL
  SELECT p.group_id, p.user_id, p.first_joined_at, ${rolledColumns('r')}, true, ${untilP}
    FROM (${periodsOf('tail_members')}) p
    LEFT JOIN engagement_members r ON $8 AND r.group_id = p.group_id AND r.user_id = p.user_id
    ${arraySearch('r')}
   WHERE p.memberships && tstzrange($2, $3) AND ($4::uuid[] IS NULL OR p.user_id IN (SELECT unnest($4::uuid[])))),
edges AS (
  SELECT group_id, user_id, sum(threads) AS threads, sum(posts) AS posts,
         sum(chat_messages) AS chat_messages, sum(thread_reads) AS thread_reads,
         sum(chat_reads) AS chat_reads, sum(reactions) AS reactions
    FROM (${rawActivity('engagement_events', 'occurred_at >= $2 AND occurred_at < $11', true)}
          UNION ALL ${rawActivity('engagement_events', 'occurred_at >= $12 AND occurred_at < $3', true)}
          UNION ALL ${rawActivity('tail', 'occurred_at >= $11 AND occurred_at < $12', false)}) raw
   GROUP BY group_id, user_id),
tail_firsts AS (
  SELECT DISTINCT ON (group_id, user_id) group_id, user_id, occurred_at AS at, id, context_id
    FROM tail WHERE kind IN ${CONTRIBUTION_KINDS_SQL}
   ORDER BY group_id, user_id, occurred_at, id),
tail_reads AS (
  SELECT group_id, user_id, min(occurred_at) AS at FROM tail WHERE kind IN ${READ_KINDS_SQL}
   GROUP BY group_id, user_id),
firsts AS (
  SELECT c.group_id, c.user_id, c.first_joined_at, c.first_joined_at >= $2 AS newcomer, c.until,
         c.active_week_bits, c.weeks_from_log, c.r_at, c.r_id, c.r_context, c.r_reply,
         LEAST(CASE WHEN c.first_read_at < $3 THEN c.first_read_at END, tr.at) AS first_read_at,
         tf.id IS NOT NULL AND (c.r_at IS NULL OR c.r_at >= $3
           OR (tf.at, tf.id) < (c.r_at, c.r_id)) AS from_tail,
         tf.at AS t_at, tf.id AS t_id, tf.context_id AS t_context,
         ((c.da >> 32) + coalesce(x.threads, 0))::int AS threads,
         ((c.da & 4294967295) + coalesce(x.posts, 0))::int AS posts,
         ((c.db >> 32) + coalesce(x.chat_messages, 0))::int AS chat_messages,
         ((c.db & 4294967295) + coalesce(x.thread_reads, 0))::int AS thread_reads,
         ((c.dc >> 32) + coalesce(x.chat_reads, 0))::int AS chat_reads,
         ((c.dc & 4294967295) + coalesce(x.reactions, 0))::int AS reactions
    FROM classified c
    LEFT JOIN edges x ON x.group_id = c.group_id AND x.user_id = c.user_id
    LEFT JOIN tail_firsts tf ON tf.group_id = c.group_id AND tf.user_id = c.user_id
    LEFT JOIN tail_reads tr ON tr.group_id = c.group_id AND tr.user_id = c.user_id),
chosen AS (
  SELECT f.*,
         CASE WHEN from_tail THEN t_at WHEN r_at < $3 THEN r_at END AS first_at,
         CASE WHEN from_tail THEN t_id WHEN r_at < $3 THEN r_id END AS first_id,
         CASE WHEN from_tail THEN t_context WHEN r_at < $3 THEN r_context END AS first_context,
         NOT from_tail AND r_at < $3
           AND NOT EXISTS (SELECT 1 FROM tail_contexts x WHERE x.context_id = f.r_context) AS cached
    FROM firsts f),
members AS MATERIALIZED (
  SELECT c.group_id, c.user_id, c.first_joined_at, c.newcomer, c.until, c.active_week_bits, c.weeks_from_log, c.first_read_at, c.first_at, c.threads, c.posts, c.chat_messages,
         c.thread_reads, c.chat_reads, c.reactions,
         CASE WHEN c.first_at >= $2 THEN
           CASE WHEN c.cached THEN CASE WHEN c.r_reply < $3 THEN c.r_reply END
                ELSE ${firstReplySql('c.first_context', 'c.user_id', 'c.first_at', 'c.first_id', '$3')}
           END
         END AS reply_at,
         c.threads + c.posts + c.chat_messages AS contributions,
         c.thread_reads + c.chat_reads AS reads
    FROM chosen c),
ranks AS MATERIALIZED (
  -- Per group, each distinct number of contributions v: how many members have it (c) and how
  -- many have at most v (upto), of n members. Ranks, medians, Gini and shares come from these
  -- few rows instead of sorting every member.
  SELECT group_id, v, c, (sum(c) OVER (PARTITION BY group_id ORDER BY v))::bigint AS upto,
         (sum(c) OVER (PARTITION BY group_id))::bigint AS n
    FROM (SELECT group_id, contributions AS v, count(*) AS c FROM members GROUP BY 1, 2) h)`;
}

/** The member's rolled-up firsts and counts over the whole days (arrays stay in this scan). */
function rolledColumns(m: string): string {
  return `${m}.first_read_at, ${m}.first_contribution_at AS r_at,
         ${m}.first_contribution_event_id AS r_id, ${m}.first_contribution_context_id AS r_context,
         ${m}.first_reply_at AS r_reply,
         coalesce(${m}.cum_a[w.hi], 0) - coalesce(${m}.cum_a[w.lo], 0) AS da,
         coalesce(${m}.cum_b[w.hi], 0) - coalesce(${m}.cum_b[w.lo], 0) AS db,
         coalesce(${m}.cum_c[w.hi], 0) - coalesce(${m}.cum_c[w.lo], 0) AS dc,
         ${m}.active_week_bits`;
}

/** Positions in the member's days array of the last day before day_hi and before day_lo. */
function arraySearch(m: string): string {
  return `CROSS JOIN LATERAL (SELECT width_bucket($10::date - 1, ${m}.days) AS hi,
                                    width_bucket($9::date - 1, ${m}.days) AS lo) w`;
}

function rawActivity(source: string, range: string, allGroups: boolean): string {
  const group = allGroups ? `group_id = ANY($1::uuid[]) AND ` : '';
  return `
  SELECT group_id, user_id,
         (kind = 'thread_created')::int AS threads, (kind = 'post_created')::int AS posts,
         (kind = 'chat_message_sent')::int AS chat_messages,
         (kind = 'thread_read')::int AS thread_reads, (kind = 'chat_read')::int AS chat_reads,
         (kind = 'reaction_given')::int AS reactions
    FROM ${source} WHERE ${group}kind IN ${COUNTED_KINDS_SQL} AND ${range}`;
}

export const MEMBER_SUMMARIES_SQL = `${memberCtes(true)},
classes AS (
  SELECT m.*, k.n,
         CASE WHEN m.contributions >= $5 THEN 'poster'
              WHEN m.contributions + m.reads > 0 THEN 'lurker' ELSE 'inactive' END AS class,
         CASE WHEN m.contributions >= $5 THEN
           CASE WHEN k.n - k.upto < (k.n + 99) / 100 THEN 'superuser'
                WHEN k.n - k.upto < (k.n + 9) / 10 THEN 'contributor' ELSE 'other' END
         END AS tier,
         coalesce(m.first_at >= $2 AND m.first_at - m.first_joined_at >= interval '28 days'
                  AND m.first_read_at < m.first_at, false) AS delurked,
         date_part('epoch', m.reply_at - m.first_at) / 3600 AS reply_hours
    FROM members m JOIN ranks k ON k.group_id = m.group_id AND k.v = m.contributions)
SELECT group_id, user_id, class, tier, contributions, threads, posts, chat_messages, reads,
       thread_reads, chat_reads, reactions, first_joined_at,
       CASE WHEN until < $3 THEN until END AS left_at, newcomer, first_at, reply_hours, delurked
  FROM classes
 ORDER BY group_id, user_id`;
