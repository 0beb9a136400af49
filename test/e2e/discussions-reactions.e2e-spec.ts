import { registerUser } from '@kinship/testing';
import {
  activeMember,
  type Community,
  fieldsOf,
  MALFORMED_IDS,
  newThread,
  startCommunity,
  UNKNOWN_ID,
} from './discussions-fixtures';

/**
 * Reactions toggle: one of each kind per member per post. The answer is 201 when the call added
 * the reaction and 200 when it removed it, with the post's counts and the caller's kinds.
 */
describe('discussions: reactions', () => {
  let c: Community;
  beforeAll(async () => {
    c = await startCommunity();
  });
  afterAll(() => c?.t.close());

  const react = (postId: string, kind: unknown, token?: string) =>
    c.t.post(`/posts/${postId}/reactions`, { kind }, { token });

  it('toggles: 201 added, 200 removed; counts and myReactions follow', async () => {
    const { t, member, groupModerator, publicGroup } = c;
    const thread = await newThread(t, publicGroup.id, member.accessToken);
    const postId = thread.firstPost.id;

    const added = await react(postId, 'support', groupModerator.accessToken);
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      postId,
      kind: 'support',
      given: true,
      reactions: { support: 1, helpful: 0, hug: 0 },
      myReactions: ['support'],
    });
    const hug = await react(postId, 'hug', groupModerator.accessToken);
    expect(hug.status).toBe(201);
    expect(hug.body.myReactions).toEqual(['support', 'hug']);
    const own = await react(postId, 'hug', member.accessToken);
    expect(own.body.reactions).toEqual({ support: 1, helpful: 0, hug: 2 });
    expect(own.body.myReactions).toEqual(['hug']);

    const removed = await react(postId, 'support', groupModerator.accessToken);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({
      postId,
      kind: 'support',
      given: false,
      reactions: { support: 0, helpful: 0, hug: 2 },
      myReactions: ['hug'],
    });
    const again = await react(postId, 'support', groupModerator.accessToken);
    expect(again.status).toBe(201);
  });

  it('posts carry the counts, and myReactions for the caller only', async () => {
    const { t, member, groupModerator, owner, publicGroup } = c;
    const thread = await newThread(t, publicGroup.id, member.accessToken);
    const postId = thread.firstPost.id;
    await react(postId, 'helpful', groupModerator.accessToken);
    await react(postId, 'hug', groupModerator.accessToken);
    await react(postId, 'helpful', member.accessToken);
    const third = await activeMember(t, owner, [publicGroup]);
    await react(postId, 'support', third.accessToken);

    const seen = async (token?: string) =>
      (await t.get(`/threads/${thread.id}/posts`, { token })).body.items[0];
    const counts = { support: 1, helpful: 2, hug: 1 };
    expect(await seen(groupModerator.accessToken)).toMatchObject({
      reactions: counts,
      myReactions: ['helpful', 'hug'],
    });
    expect(await seen(member.accessToken)).toMatchObject({
      reactions: counts,
      myReactions: ['helpful'],
    });
    expect(await seen()).toMatchObject({ reactions: counts, myReactions: [] });
    const single = await t.get(`/threads/${thread.id}`, { token: third.accessToken });
    expect(single.body.firstPost.myReactions).toEqual(['support']);
  });

  it('concurrent toggles by many members keep the count exact', async () => {
    const { t, member, owner, publicGroup } = c;
    const thread = await newThread(t, publicGroup.id, member.accessToken);
    const members = await Promise.all(
      Array.from({ length: 6 }, () => activeMember(t, owner, [publicGroup])),
    );
    const answers = await Promise.all(
      members.map((m) => react(thread.firstPost.id, 'hug', m.accessToken)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    const post = (await t.get(`/threads/${thread.id}`)).body.firstPost;
    expect(post.reactions.hug).toBe(6);
  });

  it('bad kind 400; unknown post 404; malformed id 400; no token 401', async () => {
    const { t, member, publicGroup } = c;
    const thread = await newThread(t, publicGroup.id, member.accessToken);
    for (const kind of ['like', '', 42, null, undefined, ['hug']]) {
      const res = await react(thread.firstPost.id, kind, member.accessToken);
      expect({ kind, status: res.status }).toEqual({ kind, status: 400 });
      expect(fieldsOf(res.body)).toEqual(['kind']);
    }
    const extra = await t.post(
      `/posts/${thread.firstPost.id}/reactions`,
      { kind: 'hug', weight: 10 },
      { token: member.accessToken },
    );
    expect(fieldsOf(extra.body)).toEqual(['weight']);
    expect((await react(UNKNOWN_ID, 'hug', member.accessToken)).status).toBe(404);
    for (const bad of MALFORMED_IDS) {
      const res = await react(bad, 'hug', member.accessToken);
      expect(res.status).toBe(400);
      expect(fieldsOf(res.body)).toEqual(['postId']);
    }
    expect((await react(thread.firstPost.id, 'hug')).status).toBe(401);
  });

  it('a non-member of a public group gets 403; an outsider of a private one 404', async () => {
    const { t, member, publicGroup, privateGroup } = c;
    const outsider = await registerUser(t);
    const open = await newThread(t, publicGroup.id, member.accessToken);
    const closed = await newThread(t, privateGroup.id, member.accessToken);
    const denied = await react(open.firstPost.id, 'hug', outsider.accessToken);
    expect(denied.status).toBe(403);
    expect((await react(closed.firstPost.id, 'hug', outsider.accessToken)).status).toBe(404);
    const post = (await t.get(`/threads/${open.id}`)).body.firstPost;
    expect(post.reactions).toEqual({ support: 0, helpful: 0, hug: 0 });
  });
});
