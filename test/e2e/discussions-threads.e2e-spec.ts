import { createGroup } from '@kinship/testing';
import {
  type Community,
  fieldsOf,
  MALFORMED_IDS,
  newReply,
  newThread,
  startCommunity,
  UNKNOWN_ID,
} from './discussions-fixtures';

describe('discussions: threads', () => {
  let c: Community;
  beforeAll(async () => {
    c = await startCommunity();
  });
  afterAll(() => c?.t.close());

  it('creates a thread with its first post (201), answers it on GET, lists it', async () => {
    const { t, member, publicGroup } = c;
    const res = await t.post(
      `/groups/${publicGroup.id}/threads`,
      { title: '  Newly diagnosed, where to start?  ', body: 'Hi all, **any** tips?' },
      { token: member.accessToken },
    );
    expect(res.status).toBe(201);
    const author = { id: member.id, handle: member.handle };
    expect(res.body).toEqual({
      id: expect.any(String),
      groupId: publicGroup.id,
      title: 'Newly diagnosed, where to start?',
      author,
      createdAt: expect.any(String),
      lastActivityAt: res.body.createdAt,
      replyCount: 0,
      // Added with screening (API.md: a created thread answers its status).
      status: 'published',
      firstPost: {
        id: expect.any(String),
        threadId: res.body.id,
        groupId: publicGroup.id,
        author,
        body: 'Hi all, **any** tips?',
        html: '<p>Hi all, <strong>any</strong> tips?</p>',
        status: 'published',
        replyToPostId: null,
        createdAt: res.body.createdAt,
        editedAt: null,
        reactions: { support: 0, helpful: 0, hug: 0 },
        myReactions: [],
      },
    });
    const got = await t.get(`/threads/${res.body.id}`, { token: member.accessToken });
    expect(got.status).toBe(200);
    // `status` belongs to the create answer only (the first post carries it everywhere).
    const { status: _status, ...thread } = res.body;
    expect(got.body).toEqual(thread);

    const list = await t.get(`/groups/${publicGroup.id}/threads`, { token: member.accessToken });
    expect(list.status).toBe(200);
    const { firstPost: _firstPost, ...summary } = thread;
    expect(list.body.items[0]).toEqual(summary);
  });

  it('lists threads by last activity, newest first; a reply moves a thread up and counts', async () => {
    const { t, member, groupModerator, owner } = c;
    const group = await createGroup(t, owner.accessToken);
    await t.post(`/groups/${group.id}/members`, undefined, { token: member.accessToken });
    const a = await newThread(t, group.id, member.accessToken, { title: 'Thread A' });
    const b = await newThread(t, group.id, member.accessToken, { title: 'Thread B' });
    const ids = async () =>
      (await t.get(`/groups/${group.id}/threads`)).body.items.map((x: any) => x.id);
    expect(await ids()).toEqual([b.id, a.id]);

    await t.post(`/groups/${group.id}/members`, undefined, {
      token: groupModerator.accessToken,
    });
    const reply = await newReply(t, a.id, groupModerator.accessToken);
    expect(await ids()).toEqual([a.id, b.id]);
    const thread = (await t.get(`/threads/${a.id}`)).body;
    expect(thread.replyCount).toBe(1);
    expect(thread.lastActivityAt).toBe(reply.createdAt);
    expect(thread.firstPost.id).toBe(a.firstPost.id);
  });

  it('accepts a body of exactly 20,000 characters and a title of 3 and of 200', async () => {
    const { t, member, publicGroup } = c;
    const long = await newThread(t, publicGroup.id, member.accessToken, {
      title: 'abc',
      body: 'x'.repeat(20_000),
    });
    expect(long.firstPost.body).toHaveLength(20_000);
    const titled = await newThread(t, publicGroup.id, member.accessToken, {
      title: 't'.repeat(200),
    });
    expect(titled.title).toHaveLength(200);
  });

  it('bad input is a 400 naming the field, and creates nothing', async () => {
    const { t, member, publicGroup } = c;
    const before = (await t.get(`/groups/${publicGroup.id}/threads?limit=100`)).body.items.length;
    const cases: [unknown, string][] = [
      [{ body: 'no title' }, 'title'],
      [{ title: 'ab', body: 'short title' }, 'title'],
      [{ title: '   ab   ', body: 'short once trimmed' }, 'title'],
      [{ title: 't'.repeat(201), body: 'long title' }, 'title'],
      [{ title: 42, body: 'numeric title' }, 'title'],
      [{ title: 'No body' }, 'body'],
      [{ title: 'Empty body', body: '' }, 'body'],
      [{ title: 'Blank body', body: ' \n\t ' }, 'body'],
      [{ title: 'Long body', body: 'x'.repeat(20_001) }, 'body'],
      [{ title: 'Body as list', body: ['a'] }, 'body'],
      [{ title: 'Extra field', body: 'x', pinned: true }, 'pinned'],
      [{ title: 'Nul', body: 'a\u0000b' }, 'body'],
    ];
    for (const [input, field] of cases) {
      const res = await t.post(`/groups/${publicGroup.id}/threads`, input, {
        token: member.accessToken,
      });
      expect({ input, status: res.status }).toEqual({ input, status: 400 });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(fieldsOf(res.body)).toContain(field);
    }
    const after = (await t.get(`/groups/${publicGroup.id}/threads?limit=100`)).body.items.length;
    expect(after).toBe(before);
  });

  it('bad list parameters are 400s', async () => {
    const { t, publicGroup } = c;
    for (const query of ['limit=0', 'limit=101', 'limit=ten', 'cursor=not-a-cursor', 'sort=x']) {
      const res = await t.get(`/groups/${publicGroup.id}/threads?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
    }
  });

  it('unknown ids are 404s; malformed ids are 400s naming the parameter', async () => {
    const { t, member } = c;
    const token = member.accessToken;
    const unknownGroup = await t.get(`/groups/${UNKNOWN_ID}/threads`, { token });
    expect(unknownGroup.status).toBe(404);
    expect(
      (await t.post(`/groups/${UNKNOWN_ID}/threads`, { title: 'Hello', body: 'x' }, { token }))
        .status,
    ).toBe(404);
    const unknownThread = await t.get(`/threads/${UNKNOWN_ID}`, { token });
    expect(unknownThread.status).toBe(404);
    expect(unknownThread.body.type).toBe('/problems/thread-not-found');

    for (const bad of MALFORMED_IDS) {
      const list = await t.get(`/groups/${bad}/threads`, { token });
      const create = await t.post(
        `/groups/${bad}/threads`,
        { title: 'Hello', body: 'x' },
        { token },
      );
      const get = await t.get(`/threads/${bad}`, { token });
      expect([list.status, create.status, get.status]).toEqual([400, 400, 400]);
      expect(fieldsOf(list.body)).toEqual(['groupId']);
      expect(fieldsOf(create.body)).toContain('groupId');
      expect(fieldsOf(get.body)).toEqual(['threadId']);
    }
  });

  it('an id longer than the router takes is a 414, not a 500', async () => {
    const res = await c.t.get(`/threads/${'a'.repeat(300)}`);
    expect(res.status).toBe(414);
  });

  it('writing needs a token (401); a bad token is a 401 even on public reads', async () => {
    const { t, publicGroup } = c;
    const res = await t.post(`/groups/${publicGroup.id}/threads`, { title: 'Hello', body: 'x' });
    expect(res.status).toBe(401);
    const bad = await t.get(`/groups/${publicGroup.id}/threads`, { token: 'forged' });
    expect(bad.status).toBe(401);
  });
});
