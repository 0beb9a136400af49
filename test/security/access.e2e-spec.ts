import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { collect, connectSocket, emitAck, sleep, type HttpAnswer } from '@kinship/testing';
import {
  call,
  type Ids,
  isProblem,
  loadOperations,
  loadSchemas,
  type Operation,
  sampleBody,
  type Schema,
  unknownIds,
} from './support/api-surface';
import { buildWorld, UNENTITLED, type World } from './support/world';

/**
 * Every route of the published API that names an object (a path id, or an id in the query) is
 * called by everyone who is not entitled to the private group the object lives in, once with the
 * real id and once with an id nobody has. The two answers must be the same refusal: nothing is
 * served or changed, and not even the object's existence shows (a private group is a 404).
 */
describe('security: no one sees what they may not see', () => {
  let w: World;
  let operations: Operation[];
  let schemas: Record<string, Schema>;
  beforeAll(async () => {
    w = await buildWorld();
    operations = await loadOperations(w.t);
    schemas = await loadSchemas(w.t);
  });
  afterAll(() => w?.t.close());

  /**
   * Joining by id is how an invitation link works: anyone who knows a private group's id may ask
   * to join (the request waits for a moderator and shows nothing). groups-membership covers it.
   */
  const ASKING_TO_JOIN = 'POST /groups/{groupId}/members';
  /** A pending member may withdraw their own request: they know the group, having asked. */
  const WITHDRAWING = 'DELETE /groups/{groupId}/members/me';

  const namesAnObject = (op: Operation) =>
    op.pathParams.length > 0 || op.query.some((q) => q.name in w.ids);

  const queryOf = (op: Operation, ids: Ids) =>
    op.query
      .filter((q) => q.name in ids)
      .map((q) => `${q.name}=${ids[q.name]}`)
      .join('&');

  const ask = (op: Operation, ids: Ids, token?: string): Promise<HttpAnswer> =>
    call(w.t, op, ids, {
      token,
      body: sampleBody(op.body, ids, schemas),
      query: queryOf(op, ids),
    });

  const summary = (a: HttpAnswer) => `${a.status} ${a.body?.type ?? a.text.slice(0, 80)}`;

  it.each(UNENTITLED)('%s gets the same refusal for real and unknown ids', async (who) => {
    const token = w.people[who].accessToken;
    const leaks: string[] = [];
    for (const op of operations.filter(namesAnObject)) {
      if (op.name === ASKING_TO_JOIN || (who === 'pending' && op.name === WITHDRAWING)) continue;
      const real = await ask(op, w.ids, token);
      const unknown = await ask(op, unknownIds(w.ids), token);
      if (real.status < 400 || summary(real) !== summary(unknown) || !isProblem(real)) {
        leaks.push(`${op.name}: real ${summary(real)}, unknown ${summary(unknown)}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('anonymous callers get the same refusal for real and unknown ids', async () => {
    const leaks: string[] = [];
    for (const op of operations.filter(namesAnObject)) {
      const real = await ask(op, w.ids);
      const unknown = await ask(op, unknownIds(w.ids));
      if (real.status < 400 || summary(real) !== summary(unknown)) {
        leaks.push(`${op.name}: real ${summary(real)}, unknown ${summary(unknown)}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('a plain member of the group is refused every staff route', async () => {
    const token = w.people.member.accessToken;
    const staffRoutes = operations.filter((op) => /^\/api\/v1\/(admin|moderation)\//.test(op.path));
    expect(staffRoutes.length).toBeGreaterThan(5);
    const served: string[] = [];
    for (const op of staffRoutes) {
      const answer = await ask(op, w.ids, token);
      if (answer.status < 400 || !isProblem(answer)) served.push(`${op.name}: ${summary(answer)}`);
    }
    expect(served).toEqual([]);
  });

  it('a muted member reads as before, but every write in the group is a 403 muted', async () => {
    const token = w.people.mutedMember.accessToken;
    const writes = [
      'POST /groups/{groupId}/threads',
      'POST /threads/{threadId}/posts',
      'POST /posts/{postId}/reactions',
      'POST /groups/{groupId}/messages',
    ];
    const served: string[] = [];
    for (const op of operations.filter((o) => writes.includes(o.name))) {
      const answer = await ask(op, w.ids, token);
      if (answer.status !== 403 || answer.body?.type !== '/problems/muted') {
        served.push(`${op.name}: ${summary(answer)}`);
      }
    }
    expect(served).toEqual([]);
    expect((await w.t.get(`/threads/${w.ids.threadId}/posts`, { token })).status).toBe(200);
    const socket = await connectSocket(w.t, token);
    try {
      expect((await emitAck(socket, 'chat:subscribe', { groupId: w.ids.groupId })).ok).toBe(true);
      const sent = await emitAck(socket, 'chat:send', {
        groupId: w.ids.groupId,
        clientMsgId: randomUUID(),
        body: 'Still here?',
      });
      expect(sent).toMatchObject({ ok: false, error: { status: 403 } });
    } finally {
      socket.close();
    }
  });

  it('the same calls serve the member (the refusals above are not from bad requests)', async () => {
    const token = w.people.member.accessToken;
    const memberReads = operations.filter(
      (op) =>
        op.method === 'GET' &&
        op.pathParams.length > 0 &&
        !/^\/api\/v1\/(admin|moderation)\//.test(op.path) &&
        // Member lists are for group moderators, edit histories for authors and moderators,
        // a study's exports and surveys' administration for its owner.
        !['/api/v1/groups/{groupId}/members', '/api/v1/posts/{postId}/edits'].includes(op.path) &&
        !/\/research\/(exports|studies\/\{studyId\}\/(exports|surveys|metrics))/.test(op.path),
    );
    expect(memberReads.length).toBeGreaterThan(4);
    const refused: string[] = [];
    for (const op of memberReads) {
      const answer = await ask(op, w.ids, token);
      if (answer.status !== 200) refused.push(`${op.name}: ${summary(answer)}`);
    }
    expect(refused).toEqual([]);
  });

  describe('sockets', () => {
    const events = ['chat:subscribe', 'chat:send', 'chat:typing', 'chat:read', 'chat:unsubscribe'];
    const payload = (event: string, groupId: string) =>
      event === 'chat:send'
        ? { groupId, clientMsgId: randomUUID(), body: 'Is anyone reading this?' }
        : event === 'chat:read'
          ? { groupId, messageId: w.ids.messageId }
          : { groupId };
    const sockets: Socket[] = [];
    afterAll(() => sockets.forEach((s) => s.close()));

    it.each(UNENTITLED)(
      '%s gets the same answer for the real and an unknown group',
      async (who) => {
        const socket = await connectSocket(w.t, w.people[who].accessToken);
        sockets.push(socket);
        const messages = collect(socket, 'chat:message');
        const typing = collect(socket, 'chat:typing');
        const differences: string[] = [];
        for (const event of events) {
          const real = await emitAck(socket, event, payload(event, w.ids.groupId));
          const unknown = await emitAck(socket, event, payload(event, randomUUID()));
          if (event !== 'chat:unsubscribe' && real.ok !== false) {
            differences.push(`${event}: accepted ${JSON.stringify(real)}`);
          }
          if (JSON.stringify(real.error ?? null) !== JSON.stringify(unknown.error ?? null)) {
            differences.push(`${event}: ${JSON.stringify(real)} vs ${JSON.stringify(unknown)}`);
          }
        }
        expect(differences).toEqual([]);

        // And nothing said in the group reaches them afterwards.
        const member = await connectSocket(w.t, w.people.member.accessToken);
        sockets.push(member);
        expect((await emitAck(member, 'chat:subscribe', { groupId: w.ids.groupId })).ok).toBe(true);
        await emitAck(member, 'chat:typing', { groupId: w.ids.groupId });
        const sent = await emitAck(member, 'chat:send', payload('chat:send', w.ids.groupId));
        expect(sent.ok).toBe(true);
        await sleep(300);
        expect(messages).toEqual([]);
        expect(typing).toEqual([]);
      },
    );
  });
});
