import { createGroup, registerUser, type TestUser } from '@kinship/testing';
import {
  activeMember,
  type Community,
  newReply,
  newThread,
  pendingMember,
  startCommunity,
} from './discussions-fixtures';

/**
 * One access policy for every route: a private group's threads and posts are 404 to anyone who is
 * not an active member (outsiders, pending members, anonymous callers); a public group's are
 * readable by anyone; only active members write (403 in a public group, 404 in a private one).
 */
describe('discussions: who sees and writes what', () => {
  let c: Community;
  let privateThread: any;
  let publicThread: any;
  beforeAll(async () => {
    c = await startCommunity();
    privateThread = await newThread(c.t, c.privateGroup.id, c.member.accessToken, {
      title: 'Private: telling my employer',
    });
    await newReply(c.t, privateThread.id, c.groupModerator.accessToken);
    publicThread = await newThread(c.t, c.publicGroup.id, c.member.accessToken, {
      title: 'Public: favourite snacks',
    });
  });
  afterAll(() => c?.t.close());

  /** Every read and write route of a thread and its first post, as `token` sees them. */
  const everyRoute = (thread: any, groupId: string, token?: string) => {
    const { t } = c;
    const post = thread.firstPost.id;
    return Promise.all([
      t.get(`/groups/${groupId}/threads`, { token }),
      t.get(`/threads/${thread.id}`, { token }),
      t.get(`/threads/${thread.id}/posts`, { token }),
      t.post(`/groups/${groupId}/threads`, { title: 'Sneaky', body: 'x' }, { token }),
      t.post(`/threads/${thread.id}/posts`, { body: 'Sneaky reply' }, { token }),
      t.patch(`/posts/${post}`, { body: 'Sneaky edit' }, { token }),
      t.delete(`/posts/${post}`, { token }),
      t.post(`/posts/${post}/reactions`, { kind: 'hug' }, { token }),
      t.get(`/posts/${post}/edits`, { token }),
    ]).then((answers) => answers.map((a) => a.status));
  };

  it('a private group is 404 on every route to an outsider', async () => {
    const outsider = await registerUser(c.t);
    const statuses = await everyRoute(privateThread, c.privateGroup.id, outsider.accessToken);
    expect(statuses).toEqual(Array(9).fill(404));
  });

  it('a private group is 404 on every route to a pending member', async () => {
    const pending = await pendingMember(c.t, c.privateGroup);
    const statuses = await everyRoute(privateThread, c.privateGroup.id, pending.accessToken);
    expect(statuses).toEqual(Array(9).fill(404));
  });

  it('a private group is 404 to anonymous reads (writes are 401)', async () => {
    const statuses = await everyRoute(privateThread, c.privateGroup.id);
    expect(statuses).toEqual([404, 404, 404, 401, 401, 401, 401, 401, 401]);
  });

  it('the 404 for hidden content is the same as for an unknown id', async () => {
    const outsider = await registerUser(c.t);
    const hidden = await c.t.get(`/threads/${privateThread.id}`, { token: outsider.accessToken });
    const unknown = await c.t.get('/threads/6f1c1a9e-2b7a-4c1e-9d51-0a3f6f1f1f1f', {
      token: outsider.accessToken,
    });
    const { instance: _a, ...hiddenProblem } = hidden.body;
    const { instance: _b, ...unknownProblem } = unknown.body;
    expect(hiddenProblem).toEqual(unknownProblem);
  });

  it('active members of a private group read and write it', async () => {
    const { t, member, privateGroup } = c;
    const token = member.accessToken;
    expect((await t.get(`/groups/${privateGroup.id}/threads`, { token })).status).toBe(200);
    expect((await t.get(`/threads/${privateThread.id}`, { token })).status).toBe(200);
    const posts = await t.get(`/threads/${privateThread.id}/posts`, { token });
    expect(posts.status).toBe(200);
    expect(posts.body.items).toHaveLength(2);
    expect((await newReply(t, privateThread.id, token)).status).toBe('published');
  });

  it('a member approved later gains access; one who leaves loses it', async () => {
    const { t, owner, privateGroup } = c;
    const pending = await pendingMember(t, privateGroup);
    expect(
      (await t.get(`/threads/${privateThread.id}`, { token: pending.accessToken })).status,
    ).toBe(404);
    await t.patch(
      `/groups/${privateGroup.id}/members/${pending.id}`,
      { status: 'active' },
      { token: owner.accessToken },
    );
    expect(
      (await t.get(`/threads/${privateThread.id}`, { token: pending.accessToken })).status,
    ).toBe(200);
    await t.delete(`/groups/${privateGroup.id}/members/me`, { token: pending.accessToken });
    expect(
      (await t.get(`/threads/${privateThread.id}/posts`, { token: pending.accessToken })).status,
    ).toBe(404);
  });

  it('anyone reads a public group, even without a token', async () => {
    const { t, publicGroup } = c;
    const outsider = await registerUser(t);
    for (const token of [undefined, outsider.accessToken]) {
      expect((await t.get(`/groups/${publicGroup.id}/threads`, { token })).status).toBe(200);
      const thread = await t.get(`/threads/${publicThread.id}`, { token });
      expect(thread.status).toBe(200);
      expect(thread.body.firstPost.myReactions).toEqual([]);
      const posts = await t.get(`/threads/${publicThread.id}/posts`, { token });
      expect(posts.status).toBe(200);
      expect(posts.body.items.map((p: any) => p.id)).toEqual([publicThread.firstPost.id]);
    }
  });

  it('non-members of a public group cannot write there (403)', async () => {
    const { t, publicGroup } = c;
    const outsider = await registerUser(t);
    const statuses = await everyRoute(publicThread, publicGroup.id, outsider.accessToken);
    // reads pass; thread, reply, reaction: join first; edit, delete, history: not the author
    expect(statuses).toEqual([200, 200, 200, 403, 403, 403, 403, 403, 403]);
    const res = await t.post(
      `/threads/${publicThread.id}/posts`,
      { body: 'hi' },
      { token: outsider.accessToken },
    );
    expect(res.body.type).toBe('/problems/not-a-member');
  });

  it('a pending member of a public approval group reads but cannot write (403)', async () => {
    const { t, owner } = c;
    const group = await createGroup(t, owner.accessToken, { joinPolicy: 'approval' });
    const thread = await newThread(t, group.id, owner.accessToken);
    const pending: TestUser = await pendingMember(t, group);
    const read = await t.get(`/threads/${thread.id}/posts`, { token: pending.accessToken });
    expect(read.status).toBe(200);
    const write = await t.post(
      `/threads/${thread.id}/posts`,
      { body: 'hi' },
      { token: pending.accessToken },
    );
    expect(write.status).toBe(403);
    expect(write.body.type).toBe('/problems/membership-pending');
  });

  it('an author who left can no longer edit or delete; a moderator still can', async () => {
    const { t, owner, publicGroup, groupModerator } = c;
    const leaver = await activeMember(t, owner, [publicGroup]);
    const thread = await newThread(t, publicGroup.id, leaver.accessToken);
    const reply = await newReply(t, thread.id, leaver.accessToken, 'my reply');
    await t.delete(`/groups/${publicGroup.id}/members/me`, { token: leaver.accessToken });
    const edit = await t.patch(
      `/posts/${reply.id}`,
      { body: 'changed' },
      { token: leaver.accessToken },
    );
    expect(edit.status).toBe(403);
    expect((await t.delete(`/posts/${reply.id}`, { token: leaver.accessToken })).status).toBe(403);
    const byModerator = await t.patch(
      `/posts/${reply.id}`,
      { body: 'Edited by a moderator' },
      { token: groupModerator.accessToken },
    );
    expect(byModerator.status).toBe(200);
  });
});
