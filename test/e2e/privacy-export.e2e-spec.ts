import { randomUUID } from 'node:crypto';
import {
  connectSocket,
  emitAck,
  enableTwoFactor,
  login,
  registerUser,
  type TestApp,
  type TestUser,
} from '@kinship/testing';
import {
  activeMember,
  type Community,
  newReply,
  newThread,
  startCommunity,
} from './discussions-fixtures';

describe('privacy: GET /me/data (everything held about the caller, streamed)', () => {
  let c: Community;
  let t: TestApp;
  beforeAll(async () => {
    c = await startCommunity();
    t = c.t;
  });
  afterAll(() => t?.close());

  const exportOf = async (token: string) => {
    const res = await t.get('/me/data', { token });
    expect(res.status).toBe(200);
    return res;
  };

  it('holds every section of the caller, and nothing private of anyone else', async () => {
    const { publicGroup, privateGroup, owner } = c;
    const rosa = await activeMember(t, owner, [publicGroup, privateGroup]);
    const sam = await activeMember(t, owner, [publicGroup, privateGroup]);

    // Rosa: a thread, a reply edited twice, a reaction, chat, a read position, a report.
    const rosaThread = await newThread(t, publicGroup.id, rosa.accessToken, {
      title: 'Rosa asks about night-time lows',
      body: 'rosa-thread-body',
    });
    const samThread = await newThread(t, publicGroup.id, sam.accessToken, {
      title: 'Sam on fatigue',
      body: 'sam-thread-body-private-words',
    });
    const reply = await newReply(t, samThread.id, rosa.accessToken, 'rosa-reply-v1');
    for (const body of ['rosa-reply-v2', 'rosa-reply-v3']) {
      expect(
        (await t.patch(`/posts/${reply.id}`, { body }, { token: rosa.accessToken })).status,
      ).toBe(200);
    }
    await t.post(
      `/posts/${samThread.firstPost.id}/reactions`,
      { kind: 'hug' },
      { token: rosa.accessToken },
    );
    const samMessage = await t.post(
      `/groups/${privateGroup.id}/messages`,
      { clientMsgId: randomUUID(), body: 'sam-chat-secret' },
      { token: sam.accessToken },
    );
    for (const body of ['rosa-chat-1', 'rosa-chat-2']) {
      const sent = await t.post(
        `/groups/${privateGroup.id}/messages`,
        { clientMsgId: randomUUID(), body },
        { token: rosa.accessToken },
      );
      expect(sent.status).toBe(201);
    }
    const socket = await connectSocket(t, rosa.accessToken);
    await emitAck(socket, 'chat:subscribe', { groupId: privateGroup.id });
    expect(
      (
        await emitAck(socket, 'chat:read', {
          groupId: privateGroup.id,
          messageId: samMessage.body.id,
        })
      ).ok,
    ).toBe(true);
    socket.close();
    const report = await t.post(
      '/reports',
      {
        targetType: 'post',
        targetId: samThread.firstPost.id,
        reason: 'other',
        details: 'rosa-report-words',
      },
      { token: rosa.accessToken },
    );
    expect(report.status).toBe(201);
    // What others say about or to rosa is theirs, not hers.
    await newReply(t, rosaThread.id, sam.accessToken, 'sam-reply-to-rosa');
    await t.post(
      '/reports',
      {
        targetType: 'post',
        targetId: rosaThread.firstPost.id,
        reason: 'spam',
        details: 'sam-report-words',
      },
      { token: sam.accessToken },
    );
    await t.post(
      `/posts/${rosaThread.firstPost.id}/reactions`,
      { kind: 'support' },
      { token: sam.accessToken },
    );

    const res = await exportOf(rosa.accessToken);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const data = res.body;
    expect(Object.keys(data)).toEqual([
      'format',
      'generatedAt',
      'profile',
      'sessions',
      'memberships',
      'threads',
      'posts',
      'reactions',
      'chatMessages',
      'chatReadPositions',
      'reports',
      'engagementEvents',
      'researchConsents',
      'surveyAnswers',
    ]);
    expect(data.format).toBe('kinship-personal-data/1');
    expect(data.profile).toMatchObject({
      id: rosa.id,
      email: rosa.email,
      handle: rosa.handle,
      role: 'member',
      twoFactor: { enabled: false, enabledAt: null, recoveryCodesLeft: 0 },
    });
    expect(data.sessions.length).toBeGreaterThanOrEqual(1);
    expect(data.sessions[0]).toEqual({
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
      expiresAt: expect.any(String),
      twoFactor: false,
      endedAt: null,
      endedBecause: null,
    });
    expect(data.memberships.map((m: any) => m.groupId).sort()).toEqual(
      [publicGroup.id, privateGroup.id].sort(),
    );
    expect(data.memberships[0]).toMatchObject({
      groupName: expect.any(String),
      condition: expect.any(String),
      status: 'active',
      role: 'member',
      createdTheGroup: false,
    });
    expect(data.threads).toEqual([
      {
        id: rosaThread.id,
        groupId: publicGroup.id,
        title: 'Rosa asks about night-time lows',
        createdAt: expect.any(String),
        deletedAt: null,
      },
    ]);
    expect(data.posts.map((p: any) => p.body)).toEqual(['rosa-thread-body', 'rosa-reply-v3']);
    const exportedReply = data.posts[1];
    expect(exportedReply).toMatchObject({
      id: reply.id,
      threadId: samThread.id,
      status: 'published',
    });
    expect(exportedReply.edits).toEqual([
      {
        previousBody: 'rosa-reply-v1',
        editor: { id: rosa.id, handle: rosa.handle },
        editedAt: expect.any(String),
      },
      {
        previousBody: 'rosa-reply-v2',
        editor: { id: rosa.id, handle: rosa.handle },
        editedAt: expect.any(String),
      },
    ]);
    expect(data.reactions).toEqual([
      { postId: samThread.firstPost.id, kind: 'hug', createdAt: expect.any(String) },
    ]);
    expect(data.chatMessages.map((m: any) => m.body)).toEqual(['rosa-chat-1', 'rosa-chat-2']);
    expect(data.chatReadPositions).toEqual([
      { groupId: privateGroup.id, messageId: samMessage.body.id, updatedAt: expect.any(String) },
    ]);
    expect(data.reports).toEqual([
      expect.objectContaining({
        targetType: 'post',
        targetId: samThread.firstPost.id,
        reason: 'other',
        details: 'rosa-report-words',
        status: 'open',
      }),
    ]);
    const kinds = new Set(data.engagementEvents.map((e: any) => e.kind));
    for (const kind of [
      'group_joined',
      'thread_created',
      'post_created',
      'reaction_given',
      'chat_message_sent',
    ]) {
      expect(kinds).toContain(kind);
    }
    expect(data.engagementEvents.find((e: any) => e.kind === 'group_joined')).toEqual({
      kind: 'group_joined',
      groupId: expect.any(String),
      objectId: expect.any(String),
      occurredAt: expect.any(String),
    });

    // Nothing of anyone else's beyond ids the member already sees; no secret of the member's own.
    for (const foreign of [
      sam.email,
      sam.handle,
      'sam-thread-body-private-words',
      'sam-chat-secret',
      'sam-reply-to-rosa',
      'sam-report-words',
      c.owner.email,
      rosa.password,
      rosa.refreshToken,
      rosa.accessToken,
    ]) {
      expect(res.text).not.toContain(foreign);
    }
    expect(res.text).not.toMatch(/argon2|token_?hash|passwordHash/i);
  });

  it('shows two-factor state but never the secret or the recovery codes', async () => {
    const member = await registerUser(t);
    const { secret, recoveryCodes } = await enableTwoFactor(t, member);
    const session = await login(t, member.email, member.password);
    const res = await exportOf(session.accessToken);
    expect(res.body.profile.twoFactor).toEqual({
      enabled: true,
      enabledAt: expect.any(String),
      recoveryCodesLeft: 10,
    });
    expect(res.body.sessions.some((s: any) => s.twoFactor)).toBe(true);
    expect(res.text).not.toContain(secret);
    for (const code of recoveryCodes) expect(res.text).not.toContain(code);
  });

  it('a new member gets every section, empty', async () => {
    const member = await registerUser(t);
    const { body } = await exportOf(member.accessToken);
    for (const section of [
      'memberships',
      'threads',
      'posts',
      'reactions',
      'chatMessages',
      'reports',
    ]) {
      expect(body[section]).toEqual([]);
    }
  });

  it('needs a token', async () => {
    const res = await t.get('/me/data');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('streams a long history: every post once, in order, sent in chunks as it is read', async () => {
    const prolific: TestUser = await activeMember(t, c.owner, [c.publicGroup]);
    const thread = await newThread(t, c.publicGroup.id, prolific.accessToken, {
      body: 'post-0000',
    });
    const total = 640; // more than a page of the export's reads (500 rows each)
    for (let i = 1; i < total; i += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, total - i) }, (_, k) =>
          newReply(t, thread.id, prolific.accessToken, `post-${String(i + k).padStart(4, '0')}`),
        ),
      );
    }
    const response = await fetch(`${t.baseUrl}/api/v1/me/data`, {
      headers: { authorization: `Bearer ${prolific.accessToken}` },
    });
    expect(response.status).toBe(200);
    // Written while read: no length known up front, sent chunked.
    expect(response.headers.get('content-length')).toBeNull();
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    let chunks = 0;
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      chunks++;
      text += decoder.decode(chunk, { stream: true });
    }
    expect(chunks).toBeGreaterThan(1);
    const data = JSON.parse(text);
    const bodies: string[] = data.posts.map((p: any) => p.body);
    expect(bodies).toHaveLength(total);
    expect(new Set(bodies).size).toBe(total);
    const times: string[] = data.posts.map((p: any) => p.createdAt);
    expect(times).toEqual([...times].sort());
    expect(data.engagementEvents.filter((e: any) => e.kind === 'post_created')).toHaveLength(
      total - 1,
    );
  });
});
