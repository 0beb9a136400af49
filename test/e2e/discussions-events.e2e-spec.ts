import { Client } from 'pg';
import { onPostgres, registerUser } from '@kinship/testing';
import {
  activeMember,
  type Community,
  newReply,
  newThread,
  startCommunity,
} from './discussions-fixtures';

const flush = () => new Promise((r) => setTimeout(r, 1_500)); // reads are written every second

/**
 * Engagement events as shared/RESEARCH.md defines them. The embedded database lives inside the
 * api process, so these run on real PostgreSQL only, reading engagement_events directly.
 */
(onPostgres() ? describe : describe.skip)('discussions: engagement events (PostgreSQL)', () => {
  let c: Community;
  let db: Client;
  beforeAll(async () => {
    c = await startCommunity();
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await c?.t.close();
  });

  const events = async (userId: string, kinds?: string[]) =>
    (
      await db.query(
        `SELECT kind, object_id, group_id FROM engagement_events
          WHERE user_id = $1 AND kind <> 'visit' AND ($2::text[] IS NULL OR kind = ANY($2))
          ORDER BY id`,
        [userId, kinds ?? null],
      )
    ).rows;

  it('a thread records thread_created once (not post_created); a reply post_created once', async () => {
    const { t, owner, publicGroup } = c;
    const author = await activeMember(t, owner, [publicGroup]);
    const thread = await newThread(t, publicGroup.id, author.accessToken);
    const reply = await newReply(t, thread.id, author.accessToken);
    expect(await events(author.id, ['thread_created', 'post_created'])).toEqual([
      { kind: 'thread_created', object_id: thread.id, group_id: publicGroup.id },
      { kind: 'post_created', object_id: reply.id, group_id: publicGroup.id },
    ]);
  });

  it('two reads within 30 minutes are one thread_read; non-members and anonymous record none', async () => {
    const { t, member, publicGroup } = c;
    const thread = await newThread(t, publicGroup.id, c.groupModerator.accessToken);
    await t.get(`/threads/${thread.id}/posts`, { token: member.accessToken });
    await t.get(`/threads/${thread.id}/posts`, { token: member.accessToken });
    const outsider = await registerUser(t);
    await t.get(`/threads/${thread.id}/posts`, { token: outsider.accessToken });
    await t.get(`/threads/${thread.id}/posts`);
    // The thread itself (GET /threads/{id}) is not a page of posts: no read.
    await t.get(`/threads/${thread.id}`, { token: member.accessToken });
    await flush();
    const reads = (await events(member.id, ['thread_read'])).filter(
      (e) => e.object_id === thread.id,
    );
    expect(reads).toEqual([
      { kind: 'thread_read', object_id: thread.id, group_id: publicGroup.id },
    ]);
    expect(await events(outsider.id)).toEqual([]);
  });

  it('a failed write leaves no event', async () => {
    const { t, owner, publicGroup, privateGroup } = c;
    const writer = await activeMember(t, owner, [publicGroup]);
    const thread = await newThread(t, publicGroup.id, owner.accessToken);
    const other = await newThread(t, publicGroup.id, owner.accessToken);
    const before = await events(writer.id);
    const failures = await Promise.all([
      // validation (before the transaction) and a reply target refused inside it
      t.post(`/threads/${thread.id}/posts`, { body: '' }, { token: writer.accessToken }),
      t.post(
        `/threads/${thread.id}/posts`,
        { body: 'x', replyToPostId: other.firstPost.id },
        { token: writer.accessToken },
      ),
      t.post(`/groups/${publicGroup.id}/threads`, { title: 'x' }, { token: writer.accessToken }),
      // not a member: 404 in a private group
      t.post(
        `/groups/${privateGroup.id}/threads`,
        { title: 'Hello', body: 'x' },
        { token: writer.accessToken },
      ),
      t.post(
        `/posts/${thread.firstPost.id}/reactions`,
        { kind: 'wow' },
        { token: writer.accessToken },
      ),
    ]);
    expect(failures.map((f) => f.status)).toEqual([400, 400, 400, 404, 400]);
    const outsider = await registerUser(t);
    const forbidden = await t.post(
      `/threads/${thread.id}/posts`,
      { body: 'x' },
      { token: outsider.accessToken },
    );
    expect(forbidden.status).toBe(403);
    await flush();
    expect(await events(writer.id)).toEqual(before);
    expect(await events(outsider.id)).toEqual([]);
  });

  it('reaction_given on add only; a deleted post keeps its post_created', async () => {
    const { t, member, groupModerator, publicGroup } = c;
    const thread = await newThread(t, publicGroup.id, member.accessToken);
    const reply = await newReply(t, thread.id, groupModerator.accessToken);
    const given = () =>
      events(member.id, ['reaction_given']).then((r) => r.filter((e) => e.object_id === reply.id));
    await t.post(`/posts/${reply.id}/reactions`, { kind: 'hug' }, { token: member.accessToken });
    expect(await given()).toHaveLength(1);
    await t.post(`/posts/${reply.id}/reactions`, { kind: 'hug' }, { token: member.accessToken }); // removed
    expect(await given()).toHaveLength(1);
    await t.post(
      `/posts/${reply.id}/reactions`,
      { kind: 'support' },
      { token: member.accessToken },
    );
    expect(await given()).toEqual([
      { kind: 'reaction_given', object_id: reply.id, group_id: publicGroup.id },
      { kind: 'reaction_given', object_id: reply.id, group_id: publicGroup.id },
    ]);

    expect(
      (await t.delete(`/posts/${reply.id}`, { token: groupModerator.accessToken })).status,
    ).toBe(204);
    const created = (await events(groupModerator.id, ['post_created'])).filter(
      (e) => e.object_id === reply.id,
    );
    expect(created).toHaveLength(1);
    const { rows } = await db.query(
      `SELECT deleted_at, deleted_by, body FROM posts WHERE id = $1`,
      [reply.id],
    );
    expect(rows[0]).toMatchObject({ deleted_at: expect.any(Date), deleted_by: groupModerator.id });
  });
});
