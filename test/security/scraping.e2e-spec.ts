import {
  createGroup,
  joinGroup,
  registerUser,
  sleep,
  TestApp,
  type TestUser,
  userWithRole,
} from '@kinship/testing';

const LIMIT = 20;

/**
 * Anti-scraping: a reader fetching pages of community content faster than a person reads is
 * refused with a 429 for the rest of the minute, and platform staff find the member flagged in
 * their queue (once, however long the scraping goes on).
 */
describe('security: reading faster than a person reads', () => {
  let t: TestApp;
  let admin: TestUser;
  let owner: TestUser;
  let threadId: string;
  let groupId: string;
  beforeAll(async () => {
    ({ t, admin } = await TestApp.startWithAdmin({ READ_RATE_LIMIT_PER_MINUTE: String(LIMIT) }));
    owner = await userWithRole(t, admin.accessToken, 'moderator');
    groupId = (await createGroup(t, owner.accessToken)).id;
    const thread = await t.post(
      `/groups/${groupId}/threads`,
      { title: 'Fatigue after infusions', body: 'Does it get better?' },
      { token: owner.accessToken },
    );
    threadId = thread.body.id;
  });
  afterAll(() => t?.close());

  const member = async () => {
    const user = await registerUser(t);
    await joinGroup(t, groupId, user.accessToken, user.id);
    return user;
  };

  const flagsOn = async (userId: string, token = admin.accessToken) => {
    const queue = await t.get('/moderation/queue?limit=100', { token });
    return (queue.body.items ?? []).filter(
      (i: any) => i.targetType === 'user' && i.targetId === userId,
    );
  };

  it('the read after the limit is a 429 with Retry-After, and staff see the member flagged', async () => {
    const scraper = await member();
    const token = scraper.accessToken;
    const pages = [
      `/threads/${threadId}/posts`,
      `/threads/${threadId}`,
      `/groups/${groupId}/threads`,
    ];
    for (let i = 0; i < LIMIT; i++) {
      expect((await t.get(pages[i % pages.length], { token })).status).toBe(200);
    }
    const refused = await t.get(`/threads/${threadId}/posts`, { token });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body.type).toBe('/problems/rate-limited');

    let flags: any[] = [];
    for (let i = 0; i < 40 && flags.length === 0; i++) {
      flags = await flagsOn(scraper.id);
      if (!flags.length) await sleep(50);
    }
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ kind: 'flag', reason: 'privacy', groupId: null });
    expect(flags[0].details).toMatch(/possible scraping/);

    // Scraping on does not pile up flags.
    for (let i = 0; i < 5; i++) await t.get(`/threads/${threadId}/posts`, { token });
    await sleep(300);
    expect(await flagsOn(scraper.id)).toHaveLength(1);
  });

  it('the limit is per reader: another member reads on', async () => {
    const reader = await member();
    expect((await t.get(`/threads/${threadId}/posts`, { token: reader.accessToken })).status).toBe(
      200,
    );
    expect(await flagsOn(reader.id)).toEqual([]);
  });

  it('writing is not reading: posting is not counted', async () => {
    const writer = await member();
    for (let i = 0; i < LIMIT + 2; i++) {
      const res = await t.post(
        `/threads/${threadId}/posts`,
        { body: `Same here, number ${i}.` },
        { token: writer.accessToken },
      );
      expect(res.status).toBe(201);
    }
  });

  it('anonymous readers of a public group are limited by address, and nobody is flagged', async () => {
    const before = (await t.get('/moderation/queue?limit=100', { token: admin.accessToken })).body
      .items.length;
    let last = 0;
    for (let i = 0; i <= LIMIT; i++) last = (await t.get(`/threads/${threadId}/posts`)).status;
    expect(last).toBe(429);
    await sleep(300);
    const after = (await t.get('/moderation/queue?limit=100', { token: admin.accessToken })).body
      .items.length;
    expect(after).toBe(before);
  });
});
