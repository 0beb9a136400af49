import {
  connectSocket,
  createGroup,
  emitAck,
  joinGroup,
  onPostgres,
  registerUser,
  sleep,
  TestApp,
  type TestUser,
  userWithRole,
} from '@kinship/testing';
import { CliDatabase, rounded } from './engagement-fixtures';

/**
 * The metrics of a small community written through the api (joins, approval, leaving, a thread
 * and its reply, chat, reads over HTTP and socket.io), while the api rolls up every 100 ms in
 * batches of 100 events. Checks that the api records what the metrics need (conversations,
 * membership periods) and that roll-ups plus log equal the log alone.
 */
describe('engagement metrics of a community written through the api', () => {
  let t: TestApp;
  let db: CliDatabase;
  let admin: TestUser;
  const from = new Date(Date.now() - 60_000).toISOString();

  beforeAll(async () => {
    ({ t, admin } = await TestApp.startWithAdmin({
      ENGAGEMENT_ROLLUP_INTERVAL_MS: '100',
      ENGAGEMENT_ROLLUP_BATCH: '100',
    }));
    // Embedded: the cli opens the api's data directory once the api has stopped.
    db = new CliDatabase(t.dataDir);
  });
  afterAll(async () => {
    await t?.close();
    db?.close();
  });

  it('classifies members, counts their activity and finds the replies', async () => {
    const owner = await userWithRole(t, admin.accessToken, 'moderator');
    const open = await createGroup(t, owner.accessToken);
    const closed = await createGroup(t, owner.accessToken, { joinPolicy: 'approval' });
    const [alice, bob, carol, dave, erin, gina, frank] = await Promise.all(
      Array.from({ length: 7 }, () => registerUser(t)),
    );
    for (const u of [alice, bob, carol, dave, erin]) {
      await joinGroup(t, open.id, u.accessToken, u.id);
    }
    await joinGroup(t, closed.id, gina.accessToken, gina.id, owner.accessToken); // approved
    await t.post(`/groups/${closed.id}/members`, undefined, { token: frank.accessToken }); // pending

    const thread = await t.post(
      `/groups/${open.id}/threads`,
      { title: 'First week with a new diagnosis', body: 'How did you cope?' },
      { token: alice.accessToken },
    );
    expect(thread.status).toBe(201);
    await t.get(`/threads/${thread.body.id}/posts`, { token: bob.accessToken });
    const reply = await t.post(
      `/threads/${thread.body.id}/posts`,
      { body: 'One day at a time helped me.' },
      { token: bob.accessToken },
    );
    expect(reply.status).toBe(201);
    await t.get(`/threads/${thread.body.id}/posts`, { token: carol.accessToken });
    const send = (u: TestUser, body: string) =>
      t.post(
        `/groups/${open.id}/messages`,
        { clientMsgId: crypto.randomUUID(), body },
        { token: u.accessToken },
      );
    const first = await send(erin, 'Hello everyone, I am new here.');
    expect(first.status).toBe(201);
    await send(erin, 'Looking forward to reading your stories.');
    expect((await send(alice, 'Welcome, Erin!')).status).toBe(201);
    const socket = await connectSocket(t, carol.accessToken);
    expect(
      await emitAck(socket, 'chat:read', { groupId: open.id, messageId: first.body.id }),
    ).toEqual(expect.objectContaining({ ok: true }));
    socket.close();
    expect(
      (await t.delete(`/groups/${open.id}/members/me`, { token: dave.accessToken })).status,
    ).toBe(204);
    await sleep(1_500); // reads are written every second

    if (!onPostgres()) await t.stop(); // the embedded database serves one process at a time
    const to = new Date(Date.now() + 60_000).toISOString();
    const query = {
      groupIds: [open.id, closed.id],
      from,
      to,
      posterMinContributions: 1,
      participants: null,
    };
    const answer = await db.metrics(query);
    const [g, h] = answer.groups;
    expect(g).toMatchObject({
      members: 6, // owner, alice, bob, carol, dave (left during the window), erin
      posters: 3,
      lurkers: 1,
      inactive: 2,
      contributions: { total: 5, threads: 1, posts: 1, chatMessages: 3 },
      reads: { total: 3, threadReads: 2, chatReads: 1 },
      threadsStarted: 1,
      threadsAnswered: 1,
      // alice's thread (bob replied) and erin's first message (alice answered); not bob's reply
      newcomers: { count: 6, withFirstContribution: 3, replied: 2 },
      delurked: 0,
      weeklyRetention: [],
    });
    expect(g.medianHoursToFirstReply).toBeGreaterThan(0);
    expect(g.medianHoursToFirstReply).toBeLessThan(0.1);
    expect(h).toMatchObject({ members: 2, inactive: 2 }); // owner and gina; frank is pending

    const member = (u: TestUser) => answer.members.find((m) => m.userId === u.id);
    expect(member(carol)).toMatchObject({ class: 'lurker', threadReads: 1, chatReads: 1 });
    expect(member(bob)).toMatchObject({ class: 'poster', posts: 1, hoursToFirstReply: null });
    expect(member(erin)).toMatchObject({ class: 'poster', chatMessages: 2, newcomer: true });
    expect(member(erin).hoursToFirstReply).toBeGreaterThan(0);
    expect(member(dave)).toMatchObject({ class: 'inactive', leftAt: expect.any(String) });
    expect(member(alice).leftAt).toBeNull();
    expect(answer.members.find((m) => m.userId === frank.id)).toBeUndefined();

    // Whatever the roll-up had reached, the log alone gives the same answer.
    expect(rounded(await db.metrics(query, ['--from-log']))).toMatchObject(
      rounded({ groups: answer.groups, members: answer.members }),
    );
  }, 120_000);
});
