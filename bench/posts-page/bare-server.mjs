#!/usr/bin/env node
/**
 * The floor for GET /threads/{threadId}/posts?limit=20: node:http and pg, no framework, running
 * the very SQL the api runs for that page (captured from PostgreSQL with log_statement = 'all'):
 * the session check of the token, the thread, the access policy's group-and-membership read, the
 * page of posts with the reader's reactions, and the authors' handles. It answers the same JSON, byte
 * for byte (run.mjs checks), so the two do the same work but for the framework and the ORM.
 * Not done here: the api's buffered thread_read (one batched INSERT a second) and visit marks.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
pool.on('error', () => {}); // an idle client's error must not end the process
const SECRET = process.env.JWT_SECRET;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const SQL = {
  principal: `SELECT u.id, u.handle, u.role, u.suspended_until, u.closed_at, s.revoked_at, s.expires_at
         FROM auth_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND u.id = $2`,
  thread: `SELECT id, group_id, author_id, title, first_post_id, created_at, last_activity_at, reply_count, deleted_at, deleted_by FROM threads WHERE id = $1 AND deleted_at IS NULL`,
  access: `SELECT "g"."id" AS "g_id", "g"."name" AS "g_name", "g"."slug" AS "g_slug", "g"."condition_label" AS "g_condition_label", "g"."condition_code" AS "g_condition_code", "g"."description" AS "g_description", "g"."visibility" AS "g_visibility", "g"."join_policy" AS "g_join_policy", "g"."created_by" AS "g_created_by", "g"."member_count" AS "g_member_count", "g"."created_at" AS "g_created_at", "g"."updated_at" AS "g_updated_at", "m"."group_id" AS "m_group_id", "m"."user_id" AS "m_user_id", "m"."status" AS "m_status", "m"."role" AS "m_role", "m"."requested_at" AS "m_requested_at", "m"."joined_at" AS "m_joined_at", "m"."left_at" AS "m_left_at", "m"."updated_at" AS "m_updated_at" FROM "groups" "g" LEFT JOIN "memberships" "m" ON "m"."group_id" = "g"."id" AND "m"."user_id" = $1 WHERE "g"."id" = $2`,
  posts: `SELECT id, thread_id, group_id, author_id, reply_to_post_id, body, html, status, created_at, edited_at, support_count, helpful_count, hug_count, deleted_at, deleted_by, ARRAY(SELECT r.kind FROM post_reactions r WHERE r.post_id = posts.id AND r.user_id = $2) AS my_kinds FROM posts
        WHERE thread_id = $1 AND deleted_at IS NULL AND (status = 'published' OR (status = 'pending_review' AND author_id = $2)) 
        ORDER BY created_at, id LIMIT $3`,
  profiles: (n) =>
    `SELECT "u"."id" AS "u_id", "u"."handle" AS "u_handle" FROM "users" "u" WHERE "u"."id" IN (${placeholders(1, n)})`,
};
const KINDS = ['support', 'helpful', 'hug'];

function placeholders(from, n) {
  return Array.from({ length: n }, (_, i) => `$${from + i}`).join(', ');
}

/** HS256 with issuer, audience and expiry, as the api verifies it. */
function verify(token) {
  const [h, p, s] = token.split('.');
  if (!s) return null;
  const expected = createHmac('sha256', SECRET).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const header = JSON.parse(Buffer.from(h, 'base64url').toString());
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  if (header.alg !== 'HS256' || claims.iss !== 'kinship' || claims.aud !== 'kinship-api')
    return null;
  if (claims.exp * 1000 <= Date.now() || !UUID.test(claims.sub) || !UUID.test(claims.sid))
    return null;
  return claims;
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(text);
}

async function postsPage(req, res, threadId, limit) {
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const claims = token && verify(token);
  if (!claims) return send(res, 401, { status: 401 });
  const principal = (await pool.query(SQL.principal, [claims.sid, claims.sub])).rows[0];
  const now = new Date();
  if (!principal || principal.closed_at || principal.revoked_at || principal.expires_at <= now) {
    return send(res, 401, { status: 401 });
  }
  if (principal.suspended_until && principal.suspended_until > now)
    return send(res, 403, { status: 403 });
  const user = { id: principal.id, role: claims.role };

  const thread = (await pool.query(SQL.thread, [threadId])).rows[0];
  if (!thread) return send(res, 404, { status: 404 });
  const access = (await pool.query(SQL.access, [user.id, thread.group_id])).rows[0];
  const staff = user.role === 'admin' || user.role === 'moderator';
  if (!access || (access.g_visibility !== 'public' && !staff && access.m_status !== 'active')) {
    return send(res, 404, { status: 404 });
  }
  const rows = (await pool.query(SQL.posts, [threadId, user.id, limit + 1])).rows;
  const items = rows.slice(0, limit);
  const authors = [...new Set(items.map((p) => p.author_id))];
  const profiles = authors.length
    ? await pool.query(SQL.profiles(authors.length), authors)
    : { rows: [] };
  const handles = new Map(profiles.rows.map((u) => [u.u_id, u.u_handle]));
  const last = items[items.length - 1];
  send(res, 200, {
    items: items.map((p) => ({
      id: p.id,
      threadId: p.thread_id,
      groupId: p.group_id,
      author: { id: p.author_id, handle: handles.get(p.author_id) ?? '' },
      body: p.body,
      html: p.html,
      status: p.status,
      replyToPostId: p.reply_to_post_id,
      createdAt: p.created_at.toISOString(),
      editedAt: p.edited_at?.toISOString() ?? null,
      reactions: { support: p.support_count, helpful: p.helpful_count, hug: p.hug_count },
      myReactions: KINDS.filter((k) => p.my_kinds.includes(k)),
    })),
    nextCursor:
      rows.length > limit && last
        ? Buffer.from(JSON.stringify([last.created_at.toISOString(), last.id])).toString(
            'base64url',
          )
        : null,
  });
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/health') return send(res, 200, { status: 'ok' });
  const match = /^\/threads\/([^/]+)\/posts$/.exec(url.pathname);
  if (req.method !== 'GET' || !match || !UUID.test(match[1]))
    return send(res, 404, { status: 404 });
  const limit = Number(url.searchParams.get('limit') ?? 20);
  postsPage(req, res, match[1].toLowerCase(), limit).catch((error) => {
    console.error(error);
    send(res, 500, { status: 500 });
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3100), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
