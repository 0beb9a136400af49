import { registerUser } from '@kinship/testing';
import {
  type Community,
  fieldsOf,
  listAll,
  MALFORMED_IDS,
  newReply,
  newThread,
  startCommunity,
  UNKNOWN_ID,
} from './discussions-fixtures';

describe('discussions: replies, edits, deletion', () => {
  let c: Community;
  beforeAll(async () => {
    c = await startCommunity();
  });
  afterAll(() => c?.t.close());

  it('a reply answers 201 with the post; replyToPostId must be a post of the same thread', async () => {
    const { t, member, groupModerator, publicGroup } = c;
    const thread = await newThread(t, publicGroup.id, member.accessToken);
    const other = await newThread(t, publicGroup.id, member.accessToken);
    const res = await t.post(
      `/threads/${thread.id}/posts`,
      { body: 'Same here.', replyToPostId: thread.firstPost.id },
      { token: groupModerator.accessToken },
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      threadId: thread.id,
      groupId: publicGroup.id,
      author: { id: groupModerator.id, handle: groupModerator.handle },
      body: 'Same here.',
      html: '<p>Same here.</p>',
      status: 'published',
      replyToPostId: thread.firstPost.id,
      createdAt: expect.any(String),
      editedAt: null,
      reactions: { support: 0, helpful: 0, hug: 0 },
      myReactions: [],
    });
    expect(Date.parse(res.body.createdAt)).toBeGreaterThan(Date.parse(thread.createdAt));

    const bad: [unknown, string][] = [
      [other.firstPost.id, 'of another thread'],
      [UNKNOWN_ID, 'unknown'],
      ['not-a-uuid', 'malformed'],
      [42, 'a number'],
    ];
    for (const [replyToPostId, why] of bad) {
      const r = await t.post(
        `/threads/${thread.id}/posts`,
        { body: 'x', replyToPostId },
        { token: member.accessToken },
      );
      expect({ why, status: r.status }).toEqual({ why, status: 400 });
      expect(fieldsOf(r.body)).toEqual(['replyToPostId']);
    }
    const posts = await listAll(t, `/threads/${thread.id}/posts`);
    expect(posts.map((p) => p.id)).toEqual([thread.firstPost.id, res.body.id]);
    expect((await t.get(`/threads/${thread.id}`)).body.replyCount).toBe(1);
  });

  it('reply bad input: 400 with the field; unknown thread 404; malformed ids 400', async () => {
    const { t, member, publicGroup } = c;
    const token = member.accessToken;
    const thread = await newThread(t, publicGroup.id, token);
    const cases: [unknown, string][] = [
      [{}, 'body'],
      [{ body: '' }, 'body'],
      [{ body: '   ' }, 'body'],
      [{ body: 'x'.repeat(20_001) }, 'body'],
      [{ body: { text: 'x' } }, 'body'],
      [{ body: 'x', threadId: thread.id }, 'threadId'],
    ];
    for (const [input, field] of cases) {
      const res = await t.post(`/threads/${thread.id}/posts`, input, { token });
      expect({ input: JSON.stringify(input).slice(0, 40), status: res.status }).toEqual({
        input: JSON.stringify(input).slice(0, 40),
        status: 400,
      });
      expect(fieldsOf(res.body)).toContain(field);
    }
    expect((await t.post(`/threads/${UNKNOWN_ID}/posts`, { body: 'x' }, { token })).status).toBe(
      404,
    );
    expect((await t.get(`/threads/${UNKNOWN_ID}/posts`, { token })).status).toBe(404);
    for (const id of [UNKNOWN_ID]) {
      const answers = await Promise.all([
        t.patch(`/posts/${id}`, { body: 'x' }, { token }),
        t.delete(`/posts/${id}`, { token }),
        t.get(`/posts/${id}/edits`, { token }),
      ]);
      expect(answers.map((a) => a.status)).toEqual([404, 404, 404]);
      expect(answers[0].body.type).toBe('/problems/post-not-found');
    }
    for (const bad of MALFORMED_IDS) {
      const answers = await Promise.all([
        t.get(`/threads/${bad}/posts`, { token }),
        t.post(`/threads/${bad}/posts`, { body: 'x' }, { token }),
        t.patch(`/posts/${bad}`, { body: 'x' }, { token }),
        t.delete(`/posts/${bad}`, { token }),
        t.get(`/posts/${bad}/edits`, { token }),
      ]);
      expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 400]);
      expect(answers.map((a) => fieldsOf(a.body)[0])).toEqual([
        'threadId',
        'threadId',
        'postId',
        'postId',
        'postId',
      ]);
    }
  });

  it('the author edits; the previous body is kept in the history; others get 403', async () => {
    const { t, member, owner, publicGroup } = c;
    const thread = await newThread(t, publicGroup.id, member.accessToken, { body: 'first draft' });
    const postId = thread.firstPost.id;
    const edit = await t.patch(
      `/posts/${postId}`,
      { body: 'second *draft*' },
      { token: member.accessToken },
    );
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({
      id: postId,
      body: 'second *draft*',
      html: '<p>second <em>draft</em></p>',
      editedAt: expect.any(String),
      author: { id: member.id, handle: member.handle },
    });
    await t.patch(`/posts/${postId}`, { body: 'third draft' }, { token: member.accessToken });

    const other = await registerUser(t);
    await t.post(`/groups/${publicGroup.id}/members`, undefined, { token: other.accessToken });
    const denied = await t.patch(
      `/posts/${postId}`,
      { body: 'vandalised' },
      { token: other.accessToken },
    );
    expect(denied.status).toBe(403);
    expect(denied.body.type).toBe('/problems/author-or-moderator-required');
    expect((await t.get(`/posts/${postId}/edits`, { token: other.accessToken })).status).toBe(403);
    const bad = await t.patch(`/posts/${postId}`, { body: '' }, { token: member.accessToken });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['body']);

    const history = await t.get(`/posts/${postId}/edits`, { token: member.accessToken });
    expect(history.status).toBe(200);
    const me = { id: member.id, handle: member.handle };
    expect(history.body).toEqual({
      items: [
        { previousBody: 'first draft', editor: me, editedAt: edit.body.editedAt },
        { previousBody: 'second *draft*', editor: me, editedAt: expect.any(String) },
      ],
      nextCursor: null,
    });
    const forModerator = await t.get(`/posts/${postId}/edits?limit=1`, {
      token: owner.accessToken,
    });
    expect(forModerator.body.items).toHaveLength(1);
    expect(forModerator.body.nextCursor).toEqual(expect.any(String));
    expect((await t.get(`/threads/${thread.id}`)).body.firstPost.body).toBe('third draft');
  });

  it("a group moderator edits another member's post; the history names the moderator", async () => {
    const { t, member, groupModerator, privateGroup } = c;
    const thread = await newThread(t, privateGroup.id, member.accessToken, {
      body: 'call me at 555',
    });
    const res = await t.patch(
      `/posts/${thread.firstPost.id}`,
      { body: '[phone number removed by a moderator]' },
      { token: groupModerator.accessToken },
    );
    expect(res.status).toBe(200);
    expect(res.body.author.id).toBe(member.id);
    const history = await t.get(`/posts/${thread.firstPost.id}/edits`, {
      token: member.accessToken,
    });
    expect(history.body.items).toEqual([
      {
        previousBody: 'call me at 555',
        editor: { id: groupModerator.id, handle: groupModerator.handle },
        editedAt: res.body.editedAt,
      },
    ]);
  });

  it('a deleted reply is gone: omitted from lists, 404 directly, not counted', async () => {
    const { t, member, groupModerator, publicGroup } = c;
    const thread = await newThread(t, publicGroup.id, member.accessToken);
    const keep = await newReply(t, thread.id, groupModerator.accessToken, 'keep');
    const gone = await newReply(t, thread.id, member.accessToken, 'regret this');
    const other = await registerUser(t);
    await t.post(`/groups/${publicGroup.id}/members`, undefined, { token: other.accessToken });
    expect((await t.delete(`/posts/${gone.id}`, { token: other.accessToken })).status).toBe(403);

    expect((await t.delete(`/posts/${gone.id}`, { token: member.accessToken })).status).toBe(204);
    const ids = (await listAll(t, `/threads/${thread.id}/posts`, member.accessToken)).map(
      (p) => p.id,
    );
    expect(ids).toEqual([thread.firstPost.id, keep.id]);
    expect((await t.get(`/threads/${thread.id}`)).body.replyCount).toBe(1);
    const token = member.accessToken;
    const answers = await Promise.all([
      t.patch(`/posts/${gone.id}`, { body: 'back' }, { token }),
      t.delete(`/posts/${gone.id}`, { token }),
      t.post(`/posts/${gone.id}/reactions`, { kind: 'hug' }, { token }),
      t.get(`/posts/${gone.id}/edits`, { token }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404]);
    const replyToGone = await t.post(
      `/threads/${thread.id}/posts`,
      { body: 'x', replyToPostId: gone.id },
      { token },
    );
    expect(replyToGone.status).toBe(400);
    // a moderator deletes someone else's reply
    expect((await t.delete(`/posts/${keep.id}`, { token: c.owner.accessToken })).status).toBe(204);
    expect((await t.get(`/threads/${thread.id}`)).body.replyCount).toBe(0);
  });

  it("deleting a thread's first post deletes the thread for everyone", async () => {
    const { t, member, groupModerator, owner, publicGroup } = c;
    const thread = await newThread(t, publicGroup.id, member.accessToken);
    const reply = await newReply(t, thread.id, groupModerator.accessToken);
    expect(
      (await t.delete(`/posts/${thread.firstPost.id}`, { token: member.accessToken })).status,
    ).toBe(204);
    for (const token of [undefined, member.accessToken, owner.accessToken]) {
      expect((await t.get(`/threads/${thread.id}`, { token })).status).toBe(404);
      expect((await t.get(`/threads/${thread.id}/posts`, { token })).status).toBe(404);
    }
    const listed = await listAll(t, `/groups/${publicGroup.id}/threads`);
    expect(listed.map((x) => x.id)).not.toContain(thread.id);
    const write = await t.post(
      `/threads/${thread.id}/posts`,
      { body: 'x' },
      { token: member.accessToken },
    );
    expect(write.status).toBe(404);
    expect(
      (await t.patch(`/posts/${reply.id}`, { body: 'x' }, { token: groupModerator.accessToken }))
        .status,
    ).toBe(404);
  });
});
