import {
  createGroup,
  joinGroup,
  registerUser,
  TestApp,
  type TestGroup,
  type TestUser,
  userWithRole,
} from '@kinship/testing';

/** Shared set-up of the discussions suites (not a suite itself). */
export const UNKNOWN_ID = '6f1c1a9e-2b7a-4c1e-9d51-0a3f6f1f1f1f';

/** Ids that must be a 400 naming the parameter, never a database error. */
export const MALFORMED_IDS = [
  'nope',
  '123',
  '6f1c1a9e-2b7a-4c1e-9d51-0a3f6f1f1f1g',
  '6f1c1a9e2b7a4c1e9d510a3f6f1f1f1f00',
  "x'%20OR%201=1--",
  'a'.repeat(90),
];

export interface Community {
  t: TestApp;
  admin: TestUser;
  /** Platform moderator who created the groups (so their group moderator, and staff). */
  owner: TestUser;
  /** Active member of both groups. */
  member: TestUser;
  /** Active member of both groups, made group moderator (no platform role). */
  groupModerator: TestUser;
  publicGroup: TestGroup;
  privateGroup: TestGroup;
}

/** An api with two groups: public/open and private/approval, each with two active members. */
export async function startCommunity(env: Record<string, string> = {}): Promise<Community> {
  const { t, admin } = await TestApp.startWithAdmin(env);
  const owner = await userWithRole(t, admin.accessToken, 'moderator');
  const publicGroup = await createGroup(t, owner.accessToken);
  const privateGroup = await createGroup(t, owner.accessToken, {
    visibility: 'private',
    joinPolicy: 'approval',
  });
  const member = await activeMember(t, owner, [publicGroup, privateGroup]);
  const groupModerator = await activeMember(t, owner, [publicGroup, privateGroup]);
  for (const g of [publicGroup, privateGroup]) {
    const res = await t.patch(
      `/groups/${g.id}/members/${groupModerator.id}`,
      { role: 'moderator' },
      { token: owner.accessToken },
    );
    if (res.status !== 200) throw new Error(`role change failed: ${res.status} ${res.text}`);
  }
  return { t, admin, owner, member, groupModerator, publicGroup, privateGroup };
}

/** A new user who is an active member of each group (approved by `owner` where needed). */
export async function activeMember(
  t: TestApp,
  owner: TestUser,
  groups: TestGroup[],
): Promise<TestUser> {
  const user = await registerUser(t);
  for (const g of groups) await joinGroup(t, g.id, user.accessToken, user.id, owner.accessToken);
  return user;
}

/** A new user whose request to join an approval group waits. */
export async function pendingMember(t: TestApp, group: TestGroup): Promise<TestUser> {
  const user = await registerUser(t);
  const res = await t.post(`/groups/${group.id}/members`, undefined, { token: user.accessToken });
  if (res.body?.status !== 'pending')
    throw new Error(`expected pending: ${res.status} ${res.text}`);
  return user;
}

export async function newThread(
  t: TestApp,
  groupId: string,
  token: string,
  input: { title?: string; body?: string } = {},
): Promise<any> {
  const res = await t.post(
    `/groups/${groupId}/threads`,
    { title: input.title ?? 'How did you cope with the first weeks?', body: input.body ?? 'Hello' },
    { token },
  );
  if (res.status !== 201) throw new Error(`create thread failed: ${res.status} ${res.text}`);
  return res.body;
}

export async function newReply(
  t: TestApp,
  threadId: string,
  token: string,
  body = 'Thank you for sharing.',
  replyToPostId?: string,
): Promise<any> {
  const res = await t.post(`/threads/${threadId}/posts`, { body, replyToPostId }, { token });
  if (res.status !== 201) throw new Error(`reply failed: ${res.status} ${res.text}`);
  return res.body;
}

/** Every item of a list, following nextCursor. */
export async function listAll(
  t: TestApp,
  path: string,
  token?: string,
  limit = 100,
): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const url: string = `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res: { status: number; text: string; body: any } = await t.get(url, { token });
    if (res.status !== 200) throw new Error(`list failed: ${res.status} ${res.text}`);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

/** The fields of a 400's errors[], for `expect(...).toContain(field)`. */
export const fieldsOf = (body: any): string[] =>
  (body?.errors ?? []).map((e: { field: string }) => e.field);
