import { ACTIVE_KINDS_SQL, firstReplySql } from '../rollup/rollup-sql';
import { memberCtes } from './metrics-sql';

/**
 * The group metrics over the classified members of memberCtes (same parameters), for a window
 * of `weeks` retention weeks. Medians, the Gini coefficient and the top shares are computed from the
 * groups' histograms of contributions and reads (see `ranks`).
 */
export function groupMetricsSql(weeks: number): string {
  const ks = Array.from({ length: weeks }, (_, k) => k);
  const eligible = `ARRAY[${ks.map((k) => `count(*) FILTER (WHERE eligible_weeks > ${k})`).join(', ')}]::int[]`;
  // Weeks 0-62 are bits of one bigint per newcomer; later weeks (windows over 14 months) are
  // looked up in the array.
  // The rolled-up weeks as an array: only looked up when the bits are not enough.
  const rolledWeeks = `(SELECT a.active_weeks FROM engagement_members a
                         WHERE a.group_id = n.group_id AND a.user_id = n.user_id)`;
  const isActive = (k: number) =>
    k < 63 ? `bits & ${(1n << BigInt(k)).toString()}::bigint <> 0` : `${k} = ANY(weeks)`;
  const active = `ARRAY[${ks
    .map((k) => `count(*) FILTER (WHERE eligible_weeks > ${k} AND ${isActive(k)})`)
    .join(', ')}]::int[]`;
  return `${memberCtes(false)},
per_group AS (
  -- Hashed by group (no ordered aggregate here): classes and delurking inline, the tiers from
  -- \`ranks\` below.
  SELECT group_id, count(*) AS members,
         count(*) FILTER (WHERE contributions >= $5) AS posters,
         count(*) FILTER (WHERE contributions < $5 AND contributions + reads > 0) AS lurkers,
         count(*) FILTER (WHERE contributions + reads = 0) AS inactive,
         sum(contributions) AS contributions, sum(threads) AS threads, sum(posts) AS posts,
         sum(chat_messages) AS chat_messages, avg(contributions)::float8 AS contributions_mean,
         sum(reads) AS reads, sum(thread_reads) AS thread_reads, sum(chat_reads) AS chat_reads,
         avg(reads)::float8 AS reads_mean, sum(reactions) AS reactions,
         count(*) FILTER (WHERE newcomer) AS newcomers,
         count(*) FILTER (WHERE newcomer AND first_at >= $2) AS newcomers_contributing,
         count(*) FILTER (WHERE newcomer AND reply_at IS NOT NULL) AS newcomers_replied,
         count(*) FILTER (WHERE first_at >= $2 AND first_at - first_joined_at >= interval '28 days'
                            AND first_read_at < first_at) AS delurked
    FROM members GROUP BY group_id),
contribution_stats AS (
  -- Sorted ascending, position p holds v when upto - c < p <= upto. The top k members hold
  -- min(c, k - (n - upto)) of each v from the top down (ties at the cut do not change the sum).
  SELECT group_id,
         (min(v) FILTER (WHERE upto >= (n + 1) / 2 AND upto - c < (n + 1) / 2)
          + min(v) FILTER (WHERE upto >= (n + 2) / 2 AND upto - c < (n + 2) / 2)) / 2.0
           AS median,
         (2.0 * sum(v * (c * (upto - c) + c * (c + 1) / 2)) / (max(n) * NULLIF(sum(v * c), 0))
           - (max(n) + 1.0) / max(n))::float8 AS gini,
         (sum(v * LEAST(c, GREATEST(0, (n + 99) / 100 - (n - upto))))
           / NULLIF(sum(v * c), 0)::numeric)::float8 AS top1_share,
         (sum(v * LEAST(c, GREATEST(0, (n + 9) / 10 - (n - upto))))
           / NULLIF(sum(v * c), 0)::numeric)::float8 AS top10_share,
         coalesce(sum(c) FILTER (WHERE v >= $5 AND n - upto < (n + 99) / 100), 0) AS superusers,
         coalesce(sum(c) FILTER (WHERE v >= $5 AND n - upto >= (n + 99) / 100
                                   AND n - upto < (n + 9) / 10), 0) AS contributors
    FROM ranks GROUP BY group_id),
read_stats AS (
  SELECT group_id,
         (min(v) FILTER (WHERE upto >= (n + 1) / 2 AND upto - c < (n + 1) / 2)
          + min(v) FILTER (WHERE upto >= (n + 2) / 2 AND upto - c < (n + 2) / 2)) / 2.0 AS median
    FROM (SELECT group_id, v, c, (sum(c) OVER (PARTITION BY group_id ORDER BY v))::bigint AS upto,
                 (sum(c) OVER (PARTITION BY group_id))::bigint AS n
            FROM (SELECT group_id, reads AS v, count(*) AS c FROM members GROUP BY 1, 2) h) r
   GROUP BY group_id),
newcomer_replies AS (
  SELECT group_id,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', reply_at - first_at) / 3600)
           AS hours
    FROM members WHERE newcomer AND reply_at IS NOT NULL GROUP BY group_id),
tail_users AS (SELECT DISTINCT group_id, user_id FROM tail),
newcomer_weeks AS MATERIALIZED (
  -- Per newcomer: the weeks eligible, and the active weeks as bits (from the roll-up, or merged
  -- with the log's when the member has events above the watermark).
  SELECT group_id, eligible_weeks,
         CASE WHEN rolled THEN active_week_bits
              ELSE (SELECT coalesce(bit_or(1::bigint << w), 0) FROM unnest(weeks) AS w
                     WHERE w >= 0 AND w < 63) END AS bits${weeks > 63 ? ', weeks' : ''}
    FROM (
      SELECT n.group_id, n.active_week_bits,
             NOT n.weeks_from_log AND tu.user_id IS NULL AS rolled,
             floor(date_part('epoch', $3 - ((n.first_joined_at AT TIME ZONE 'UTC')::date::timestamp
                                          AT TIME ZONE 'UTC')) / 604800)::int AS eligible_weeks,
             CASE WHEN NOT n.weeks_from_log AND tu.user_id IS NULL THEN ${rolledWeeks}
                  ELSE ARRAY(
                    SELECT unnest(${rolledWeeks}) WHERE NOT n.weeks_from_log
                    UNION
                    SELECT ((e.occurred_at AT TIME ZONE 'UTC')::date
                            - (n.first_joined_at AT TIME ZONE 'UTC')::date) / 7
                      FROM tail e
                     WHERE NOT n.weeks_from_log AND e.group_id = n.group_id
                       AND e.user_id = n.user_id AND e.kind IN ${ACTIVE_KINDS_SQL}
                    UNION
                    SELECT ((e.occurred_at AT TIME ZONE 'UTC')::date
                            - (n.first_joined_at AT TIME ZONE 'UTC')::date) / 7
                      FROM engagement_events e
                     WHERE n.weeks_from_log AND e.user_id = n.user_id AND e.group_id = n.group_id
                       AND e.kind IN ${ACTIVE_KINDS_SQL} AND e.occurred_at < $3)
             END AS weeks
        FROM members n
        LEFT JOIN tail_users tu ON tu.group_id = n.group_id AND tu.user_id = n.user_id
       WHERE n.newcomer) x),
retention AS (
  -- One pass over the newcomers: for each week k, the eligible ones and the active ones.
  SELECT group_id, ${eligible} AS eligible, ${active} AS active
    FROM newcomer_weeks GROUP BY group_id),
threads AS (
  SELECT t.group_id, t.author_id, t.created_at,
         CASE WHEN NOT EXISTS (SELECT 1 FROM tail_contexts x WHERE x.context_id = t.thread_id)
              THEN CASE WHEN t.first_reply_at < $3 THEN t.first_reply_at END
              ELSE ${firstReplySql('t.thread_id', 't.author_id', 't.created_at', 't.created_event_id', '$3')}
         END AS reply_at
    FROM engagement_threads t
   WHERE $8 AND t.group_id = ANY($1::uuid[]) AND t.created_at >= $2 AND t.created_at < $3
  UNION ALL
  SELECT e.group_id, e.user_id, e.occurred_at,
         ${firstReplySql('e.object_id', 'e.user_id', 'e.occurred_at', 'e.id', '$3')}
    FROM tail e WHERE e.kind = 'thread_created' AND e.occurred_at >= $2),
thread_stats AS (
  SELECT t.group_id, count(*) AS started, count(t.reply_at) AS answered,
         percentile_cont(0.5) WITHIN GROUP (
           ORDER BY date_part('epoch', t.reply_at - t.created_at) / 3600
         ) FILTER (WHERE t.reply_at IS NOT NULL) AS reply_hours
    FROM threads t JOIN members m ON m.group_id = t.group_id AND m.user_id = t.author_id
   GROUP BY t.group_id)
SELECT g.group_id AS id, p.members, p.posters, p.lurkers, p.inactive, cs.superusers,
       cs.contributors, p.contributions, p.threads, p.posts, p.chat_messages,
       cs.median AS contributions_median, p.contributions_mean, p.reads, p.thread_reads,
       p.chat_reads, rs.median AS reads_median, p.reads_mean, p.reactions, cs.gini,
       cs.top1_share, cs.top10_share, p.newcomers, p.newcomers_contributing,
       p.newcomers_replied, nr.hours AS newcomers_reply_hours, p.delurked, ts.started,
       ts.answered, ts.reply_hours, r.eligible AS retention_eligible, r.active AS retention_active
  FROM unnest($1::uuid[]) WITH ORDINALITY AS g(group_id, position)
  LEFT JOIN per_group p ON p.group_id = g.group_id
  LEFT JOIN contribution_stats cs ON cs.group_id = g.group_id
  LEFT JOIN read_stats rs ON rs.group_id = g.group_id
  LEFT JOIN newcomer_replies nr ON nr.group_id = g.group_id
  LEFT JOIN thread_stats ts ON ts.group_id = g.group_id
  LEFT JOIN retention r ON r.group_id = g.group_id
 ORDER BY g.position`;
}
