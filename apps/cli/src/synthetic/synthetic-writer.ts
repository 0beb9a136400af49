import type { DataSource, QueryRunner } from 'typeorm';
import type { Community } from './community-model';
import { K, KIND_NAMES, NS } from './event-columns';
import type { SyntheticIds } from './synthetic-ids';

const USER_BATCH = 5_000;
const EVENT_BATCH = 20_000;

/**
 * Writes the community as the api would have: users (no email, no password: they cannot sign in),
 * groups, memberships in their final state, and the engagement log (group_joined / group_left
 * included). Bulk SQL (unnest of arrays) in one transaction: all or nothing. No threads, posts or
 * messages rows: the metrics come from the log alone.
 */
export async function writeCommunity(
  dataSource: DataSource,
  c: Community,
  ids: SyntheticIds,
  progress: (written: number) => void,
): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    const [taken] = await runner.query('SELECT 1 FROM users WHERE id = $1', [ids.user(0)]);
    if (taken) {
      throw new Error(
        `a synthetic community with this seed exists already (user ${ids.user(0)}): use another --seed`,
      );
    }
    await writeUsers(runner, c, ids);
    await writeGroups(runner, c, ids);
    await writeEvents(runner, c, ids, progress);
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}

async function writeUsers(runner: QueryRunner, c: Community, ids: SyntheticIds): Promise<void> {
  const created = new Date(c.options.start).toISOString();
  for (let from = 0; from < c.options.members; from += USER_BATCH) {
    const us = range(from, Math.min(c.options.members, from + USER_BATCH));
    await runner.query(
      `INSERT INTO users (id, handle, handle_key, created_at)
       SELECT id, handle, lower(handle), $3::timestamptz FROM unnest($1::uuid[], $2::varchar[]) AS u(id, handle)`,
      [us.map((u) => ids.user(u)), us.map((u) => ids.handle(u)), created],
    );
  }
}

/** Groups (created by their first member) and memberships in the state the log leaves them. */
async function writeGroups(runner: QueryRunner, c: Community, ids: SyntheticIds): Promise<void> {
  const ev = c.events;
  const state = new Map<number, { joined: number; left: number | null }>();
  for (let i = 0; i < ev.n; i++) {
    if (ev.kind[i] !== K.joined && ev.kind[i] !== K.left) continue;
    const key = ev.group[i] * c.options.members + ev.user[i];
    const s = state.get(key);
    if (ev.kind[i] === K.joined && (!s || s.left !== null)) {
      state.set(key, { joined: ev.time[i], left: null });
    } else if (ev.kind[i] === K.left && s && s.left === null) s.left = ev.time[i];
  }
  const rows = [...state.entries()].map(([key, s]) => ({
    group: Math.floor(key / c.options.members),
    user: key % c.options.members,
    ...s,
  }));
  for (let g = 0; g < c.options.groups; g++) {
    const mine = rows.filter((r) => r.group === g);
    const creator = mine.length ? Math.min(...mine.map((r) => r.user)) : 0;
    await runner.query(
      `INSERT INTO groups (id, name, slug, condition_label, description, visibility, join_policy,
                           created_by, member_count, created_at)
       VALUES ($1, $2, $3, 'Synthetic condition', 'Generated for tests and benchmarks.', 'public',
               'open', $4, $5, $6)`,
      [
        ids.group(g),
        `Synthetic ${ids.tag} group ${g + 1}`,
        `synthetic-${ids.tag}-${g + 1}`,
        ids.user(creator),
        mine.filter((r) => r.left === null).length,
        new Date(c.options.start).toISOString(),
      ],
    );
  }
  for (let from = 0; from < rows.length; from += USER_BATCH) {
    const batch = rows.slice(from, from + USER_BATCH);
    await runner.query(
      `INSERT INTO memberships (group_id, user_id, status, role, requested_at, joined_at, left_at)
       SELECT g, u, CASE WHEN l IS NULL THEN 'active' ELSE 'left' END, 'member', j, j, l
         FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::timestamptz[]) AS m(g, u, j, l)`,
      [
        batch.map((r) => ids.group(r.group)),
        batch.map((r) => ids.user(r.user)),
        batch.map((r) => new Date(r.joined).toISOString()),
        batch.map((r) => (r.left === null ? null : new Date(r.left).toISOString())),
      ],
    );
  }
}

/** The log in time order, so the identity ids follow the times. */
async function writeEvents(
  runner: QueryRunner,
  c: Community,
  ids: SyntheticIds,
  progress: (written: number) => void,
): Promise<void> {
  const ev = c.events;
  const ref = (ns: number, n: number) =>
    ns === NS.none ? null : ns === NS.group ? ids.group(n) : ids.of(ns, n);
  for (let from = 0; from < ev.n; from += EVENT_BATCH) {
    const to = Math.min(ev.n, from + EVENT_BATCH);
    const cols: (string | null)[][] = [[], [], [], [], [], []];
    for (let i = from; i < to; i++) {
      cols[0].push(new Date(ev.time[i]).toISOString());
      cols[1].push(ids.user(ev.user[i]));
      cols[2].push(ids.group(ev.group[i]));
      cols[3].push(KIND_NAMES[ev.kind[i]]);
      cols[4].push(ref(ev.objNs[i], ev.obj[i]));
      cols[5].push(ref(ev.ctxNs[i], ev.ctx[i]));
    }
    await runner.query(
      `INSERT INTO engagement_events (occurred_at, user_id, group_id, kind, object_id, context_id)
       SELECT t, u, g, k, o, x
         FROM unnest($1::timestamptz[], $2::uuid[], $3::uuid[], $4::varchar[], $5::uuid[], $6::uuid[])
              WITH ORDINALITY AS e(t, u, g, k, o, x, n)
        ORDER BY n`,
      cols,
    );
    progress(to);
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
