import { randomUUID } from 'node:crypto';
import {
  createGroup,
  joinGroup,
  registerUser,
  TestApp,
  type TestGroup,
  type TestUser,
  userWithRole,
} from '@kinship/testing';
import type { Ids } from './api-surface';

/** Who calls: everyone who must NOT see or change a private group's content, and its members. */
export interface Personas {
  admin: TestUser;
  /** Platform moderator who created the groups. */
  owner: TestUser;
  /** Active member of the private group: the control that the routes work at all. */
  member: TestUser;
  /** Active group moderator of the private group (no platform role). */
  groupModerator: TestUser;
  /** No membership anywhere. */
  outsider: TestUser;
  /** Asked to join the private group; not approved yet. */
  pending: TestUser;
  /** Active member of another private group. */
  otherGroupMember: TestUser;
  /** Was an active member of the private group and left. */
  leftMember: TestUser;
  /** Was an active member of the private group until a moderator banned them. */
  bannedMember: TestUser;
  /** Active member of the private group, muted by a moderator for an hour. */
  mutedMember: TestUser;
  /** Owns the study of the private group. */
  researcher: TestUser;
  /** A researcher with no part in that study. */
  otherResearcher: TestUser;
}

/** The people without access, by name, for the access matrix. */
export const UNENTITLED = [
  'outsider',
  'pending',
  'otherGroupMember',
  'leftMember',
  'bannedMember',
  'otherResearcher',
] as const;

export interface World {
  t: TestApp;
  people: Personas;
  privateGroup: TestGroup;
  otherGroup: TestGroup;
  /** Every path parameter of the API mapped to an object of the private group. */
  ids: Ids;
}

/**
 * A community with one private, approval-only group holding one of everything (thread, reply,
 * chat message, held post, report, group rule) and people around it with every kind of
 * non-entitlement.
 */
export async function buildWorld(env: Record<string, string> = {}): Promise<World> {
  const { t, admin } = await TestApp.startWithAdmin(env);
  try {
    return await populate(t, admin);
  } catch (error) {
    await t.close();
    throw error;
  }
}

async function populate(t: TestApp, admin: TestUser): Promise<World> {
  const owner = await userWithRole(t, admin.accessToken, 'moderator');
  const privateGroup = await createGroup(t, owner.accessToken, {
    visibility: 'private',
    joinPolicy: 'approval',
  });
  const otherGroup = await createGroup(t, owner.accessToken, {
    visibility: 'private',
    joinPolicy: 'approval',
  });
  const activeIn = async (group: TestGroup) => {
    const user = await registerUser(t);
    await joinGroup(t, group.id, user.accessToken, user.id, owner.accessToken);
    return user;
  };
  const member = await activeIn(privateGroup);
  const reporter = await activeIn(privateGroup);
  const groupModerator = await activeIn(privateGroup);
  expectStatus(
    await t.patch(
      `/groups/${privateGroup.id}/members/${groupModerator.id}`,
      { role: 'moderator' },
      { token: owner.accessToken },
    ),
    200,
  );
  const outsider = await registerUser(t);
  const pending = await registerUser(t);
  expectStatus(
    await t.post(`/groups/${privateGroup.id}/members`, undefined, { token: pending.accessToken }),
    201,
  );
  const otherGroupMember = await activeIn(otherGroup);
  const leftMember = await activeIn(privateGroup);

  const token = member.accessToken;
  const thread = expectStatus(
    await t.post(
      `/groups/${privateGroup.id}/threads`,
      { title: 'Telling my employer about my diagnosis', body: 'How did you go about it?' },
      { token },
    ),
    201,
  ).body;
  const reply = expectStatus(
    await t.post(
      `/threads/${thread.id}/posts`,
      { body: 'I waited until my probation ended.' },
      { token: reporter.accessToken },
    ),
    201,
  ).body;
  const held = expectStatus(
    await t.post(
      `/threads/${thread.id}/posts`,
      { body: 'Call me on +44 7700 900123 if you want to talk it through.' },
      { token },
    ),
    201,
  ).body;
  if (held.status !== 'pending_review') throw new Error(`expected a held post: ${held.status}`);
  const message = expectStatus(
    await t.post(
      `/groups/${privateGroup.id}/messages`,
      { clientMsgId: randomUUID(), body: 'Anyone around tonight?' },
      { token },
    ),
    201,
  ).body;
  const report = expectStatus(
    await t.post(
      '/reports',
      { targetType: 'post', targetId: reply.id, reason: 'other', details: 'Check the advice.' },
      { token: member.accessToken },
    ),
    201,
  ).body;
  const rule = expectStatus(
    await t.post(
      '/moderation/rules',
      {
        groupId: privateGroup.id,
        pattern: 'miracle cure',
        matchType: 'phrase',
        action: 'flag',
        category: 'misinformation',
      },
      { token: groupModerator.accessToken },
    ),
    201,
  ).body;
  expectStatus(
    await t.delete(`/groups/${privateGroup.id}/members/me`, { token: leftMember.accessToken }),
    204,
  );

  // Sanctions by the group's moderator: a ban, and a mute of an hour.
  const bannedMember = await activeIn(privateGroup);
  const mutedMember = await activeIn(privateGroup);
  for (const [user, action] of [
    [bannedMember, 'ban'],
    [mutedMember, 'mute'],
  ] as const) {
    expectStatus(
      await t.post(
        '/moderation/actions',
        {
          action,
          targetType: 'user',
          targetId: user.id,
          groupId: privateGroup.id,
          reason: 'Repeated unsolicited product offers.',
          ...(action === 'mute' ? { durationMinutes: 60 } : {}),
        },
        { token: groupModerator.accessToken },
      ),
      201,
    );
  }

  // A study of the private group, open, with the member's consent, a survey and an export.
  // Researchers study groups they can see: this one is a member of the group.
  const researcher = await userWithRole(t, admin.accessToken, 'researcher');
  await joinGroup(t, privateGroup.id, researcher.accessToken, researcher.id, owner.accessToken);
  const otherResearcher = await userWithRole(t, admin.accessToken, 'researcher');
  const day = 86_400_000;
  const study = expectStatus(
    await t.post(
      '/research/studies',
      {
        title: 'Disclosure at work',
        description: 'How members decide to tell their employer.',
        groupIds: [privateGroup.id],
        startsAt: new Date(Date.now() - day).toISOString(),
        endsAt: new Date(Date.now() + 60 * day).toISOString(),
      },
      { token: researcher.accessToken },
    ),
    201,
  ).body;
  expectStatus(
    await t.post(`/research/studies/${study.id}/approve`, undefined, { token: admin.accessToken }),
    200,
  );
  expectStatus(
    await t.request('PUT', `/research/studies/${study.id}/consent`, {
      token: member.accessToken,
      body: { granted: true },
    }),
    200,
  );
  const survey = expectStatus(
    await t.post(
      `/research/studies/${study.id}/surveys`,
      {
        title: 'Baseline',
        items: [{ key: 'confidence', text: 'I feel confident', min: 1, max: 5 }],
      },
      { token: researcher.accessToken },
    ),
    201,
  ).body;
  const exported = expectStatus(
    await t.post(
      `/research/studies/${study.id}/exports`,
      { format: 'csv' },
      { token: researcher.accessToken },
    ),
    202,
  ).body;

  const ids: Ids = {
    groupId: privateGroup.id,
    threadId: thread.id,
    postId: reply.id,
    replyToPostId: reply.id,
    targetId: reply.id,
    contentId: held.id,
    messageId: message.id,
    reportId: report.id,
    ruleId: rule.id,
    userId: member.id,
    studyId: study.id,
    surveyId: survey.id,
    exportId: exported.id,
    name: 'participants.csv',
  };
  return {
    t,
    people: {
      admin,
      owner,
      member,
      groupModerator,
      outsider,
      pending,
      otherGroupMember,
      leftMember,
      bannedMember,
      mutedMember,
      researcher,
      otherResearcher,
    },
    privateGroup,
    otherGroup,
    ids,
  };
}

function expectStatus<T extends { status: number; text: string }>(answer: T, status: number): T {
  if (answer.status !== status) {
    throw new Error(`world set-up: expected ${status}, got ${answer.status} ${answer.text}`);
  }
  return answer;
}
