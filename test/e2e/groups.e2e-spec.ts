import {
  createGroup,
  joinGroup,
  newGroupInput,
  registerUser,
  TestApp,
  type TestUser,
  userWithRole,
} from '@kinship/testing';

const UNKNOWN = '6f1c1a9e-2b7a-4c1e-9d51-0a3f6f1f1f1f';

describe('groups: creation, visibility, search', () => {
  let t: TestApp;
  let admin: TestUser;
  let moderator: TestUser;
  beforeAll(async () => {
    ({ t, admin } = await TestApp.startWithAdmin());
    moderator = await userWithRole(t, admin.accessToken, 'moderator');
  });
  afterAll(() => t?.close());

  it('a platform moderator creates a group and becomes its moderator', async () => {
    const input = newGroupInput({ conditionCode: 'k50.1' });
    const res = await t.post('/groups', input, { token: moderator.accessToken });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: input.name,
      slug: input.slug,
      condition: input.condition,
      conditionCode: 'K50.1',
      description: input.description,
      visibility: 'public',
      joinPolicy: 'open',
      memberCount: 1,
      createdAt: expect.any(String),
      membership: { status: 'active', role: 'moderator' },
    });
  });

  it('members and researchers may not create groups (403); anonymous 401', async () => {
    const member = await registerUser(t);
    const researcher = await userWithRole(t, admin.accessToken, 'researcher');
    expect((await t.post('/groups', newGroupInput(), { token: member.accessToken })).status).toBe(
      403,
    );
    expect(
      (await t.post('/groups', newGroupInput(), { token: researcher.accessToken })).status,
    ).toBe(403);
    expect((await t.post('/groups', newGroupInput())).status).toBe(401);
  });

  it.each([
    ['name too short', { name: 'ab' }, 'name'],
    ['slug with capitals', { slug: 'My-Group' }, 'slug'],
    ['slug with double hyphen', { slug: 'a--b' }, 'slug'],
    ['missing condition', { condition: undefined }, 'condition'],
    ['bad ICD-10 code', { conditionCode: 'diabetes' }, 'conditionCode'],
    ['unknown visibility', { visibility: 'secret' }, 'visibility'],
    ['unknown join policy', { joinPolicy: 'invite' }, 'joinPolicy'],
    ['description too long', { description: 'x'.repeat(2001) }, 'description'],
    ['extra field', { memberCount: 1000 }, 'memberCount'],
  ])('refuses %s (400 naming the field)', async (_name, patch, field) => {
    const res = await t.post(
      '/groups',
      { ...newGroupInput(), ...patch },
      { token: moderator.accessToken },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('refuses a taken slug (409) and creates nothing', async () => {
    const group = await createGroup(t, moderator.accessToken);
    const res = await t.post('/groups', newGroupInput({ slug: group.slug }), {
      token: moderator.accessToken,
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: '/problems/slug-taken', errors: [{ field: 'slug' }] });
  });

  it('a private group is a 404 to outsiders, pending members and anonymous callers', async () => {
    const group = await createGroup(t, moderator.accessToken, {
      visibility: 'private',
      joinPolicy: 'approval',
    });
    const outsider = await registerUser(t);
    const pending = await registerUser(t);
    expect(
      (await t.post(`/groups/${group.id}/members`, undefined, { token: pending.accessToken })).body
        .status,
    ).toBe('pending');

    for (const token of [outsider.accessToken, pending.accessToken, undefined]) {
      const res = await t.get(`/groups/${group.id}`, { token });
      expect(res.status).toBe(404);
      expect(res.body.type).toBe('/problems/group-not-found');
      // the same answer as for a group that does not exist at all
      const unknown = await t.get(`/groups/${UNKNOWN}`, { token });
      expect(unknown.status).toBe(404);
      expect(unknown.body.detail).toBe(res.body.detail);
      const list = await t.get(`/groups?q=${encodeURIComponent(group.slug.slice(4))}`, { token });
      expect(list.body.items).toEqual([]);
      expect((await t.get(`/groups/${group.id}/members`, { token })).status).toBe(
        token ? 404 : 401,
      );
    }
    // the moderator and platform staff see it
    expect((await t.get(`/groups/${group.id}`, { token: moderator.accessToken })).status).toBe(200);
    expect((await t.get(`/groups/${group.id}`, { token: admin.accessToken })).status).toBe(200);
  });

  it('lists public groups to anyone and private ones to their members, with search', async () => {
    const tag = `zq${Date.now().toString(36)}`;
    const pub = await createGroup(t, moderator.accessToken, {
      name: `Type 1 diabetes ${tag}`,
      condition: 'Type 1 diabetes',
    });
    const priv = await createGroup(t, moderator.accessToken, {
      name: `Bipolar peers ${tag}`,
      condition: 'Bipolar disorder',
      visibility: 'private',
    });
    const member = await registerUser(t);
    await joinGroup(t, priv.id, member.accessToken, member.id);

    const anonymous = await t.get(`/groups?q=${tag}`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.items.map((g: { id: string }) => g.id)).toEqual([pub.id]);
    const own = await t.get(`/groups?q=${tag}`, { token: member.accessToken });
    expect(own.body.items.map((g: { id: string }) => g.id).sort()).toEqual(
      [pub.id, priv.id].sort(),
    );
    expect(own.body.items.find((g: { id: string }) => g.id === priv.id).membership).toEqual({
      status: 'active',
      role: 'member',
    });
    // the condition is searched too, case-insensitively; LIKE wildcards are plain characters
    const byCondition = await t.get(`/groups?q=${encodeURIComponent('TYPE 1 DIAB')}&limit=100`);
    expect(byCondition.body.items.map((g: { id: string }) => g.id)).toContain(pub.id);
    expect((await t.get(`/groups?q=${encodeURIComponent('%')}`)).body.items).toEqual([]);
  });

  it('pages through groups exactly (keyset)', async () => {
    const tag = `pg${Date.now().toString(36)}`;
    const ids = [];
    for (let i = 0; i < 7; i++)
      ids.push((await createGroup(t, moderator.accessToken, { name: `Page ${tag} ${i}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await t.get(`/groups?q=${tag}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((g: { id: string }) => g.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
  });

  it('bad list parameters are 400s', async () => {
    // Well-formed cursors whose values do not fit the list's keys are refused too (never a 500).
    const bogus = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
    for (const q of [
      'limit=0',
      'limit=101',
      'limit=abc',
      'cursor=not-a-cursor',
      `cursor=${bogus(['Some group', 'not-a-uuid'])}`,
      `cursor=${bogus([42, '6f1c1a9e-2b7a-4c1e-9d51-0a3f6f1f1f1f'])}`,
      'q=' + 'x'.repeat(101),
      'extra=1',
    ]) {
      const res = await t.get(`/groups?${q}`);
      expect(res.status).toBe(400);
    }
    expect((await t.get('/groups/not-a-uuid')).status).toBe(400);
    expect((await t.get(`/groups/${UNKNOWN}`)).status).toBe(404);
  });
});
