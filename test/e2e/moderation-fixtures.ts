import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import {
  connectSocket,
  createGroup,
  emitAck,
  login,
  type TestApp,
  type TestGroup,
  type TestUser,
} from '@kinship/testing';
import { activeMember, type Community } from './discussions-fixtures';

/** Shared set-up of the moderation suites (not a suite itself). */

export interface ModeratedGroup {
  group: TestGroup;
  /** The group's only moderator besides its creator: a member with no platform role. */
  gm: TestUser;
  /** Active members. */
  author: TestUser;
  reporter: TestUser;
  other: TestUser;
}

/** A fresh group (created by the platform moderator `owner`) with a plain-member moderator. */
export async function moderatedGroup(
  c: Community,
  overrides: Record<string, unknown> = {},
): Promise<ModeratedGroup> {
  const { t, owner } = c;
  const group = await createGroup(t, owner.accessToken, overrides);
  const gm = await activeMember(t, owner, [group]);
  const res = await t.patch(
    `/groups/${group.id}/members/${gm.id}`,
    { role: 'moderator' },
    { token: owner.accessToken },
  );
  if (res.status !== 200) throw new Error(`role change failed: ${res.status} ${res.text}`);
  // Group roles are read per request; signing in again is what a client would do anyway.
  const signedIn = await login(t, gm.email, gm.password);
  const [author, reporter, other] = [
    await activeMember(t, owner, [group]),
    await activeMember(t, owner, [group]),
    await activeMember(t, owner, [group]),
  ];
  return { group, gm: { ...gm, ...signedIn }, author, reporter, other };
}

export async function report(
  t: TestApp,
  token: string,
  targetType: string,
  targetId: string,
  reason = 'harassment',
): Promise<any> {
  const res = await t.post('/reports', { targetType, targetId, reason }, { token });
  if (res.status !== 201) throw new Error(`report failed: ${res.status} ${res.text}`);
  return res.body;
}

export function resolve(
  t: TestApp,
  token: string,
  reportId: string,
  body: Record<string, unknown>,
) {
  return t.post(`/moderation/reports/${reportId}/resolve`, body, { token });
}

export function act(t: TestApp, token: string, body: Record<string, unknown>) {
  return t.post('/moderation/actions', body, { token });
}

export async function sendMessage(
  t: TestApp,
  groupId: string,
  token: string,
  body = 'Hello everyone',
): Promise<any> {
  const res = await t.post(
    `/groups/${groupId}/messages`,
    { clientMsgId: randomUUID(), body },
    { token },
  );
  if (res.status !== 201) throw new Error(`send failed: ${res.status} ${res.text}`);
  return res.body;
}

/** A socket subscribed to the group's chat. */
export async function subscribed(t: TestApp, token: string, groupId: string): Promise<Socket> {
  const socket = await connectSocket(t, token);
  const ack = await emitAck(socket, 'chat:subscribe', { groupId });
  if (!ack.ok) throw new Error(`subscribe failed: ${JSON.stringify(ack)}`);
  return socket;
}

/** Asks again (every 50 ms) until `check` holds; fails after `ms`. For "within N s" promises. */
export async function eventually(
  check: () => Promise<boolean>,
  ms = 5_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not hold within ${ms} ms`);
}

/** Every entry of the audit log the caller may read, newest first, following nextCursor. */
export async function auditEntries(t: TestApp, token: string, query = ''): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/moderation/audit?limit=100${query ? `&${query}` : ''}${cursor ? `&cursor=${cursor}` : ''}`;
    const res: { status: number; text: string; body: any } = await t.get(url, { token });
    if (res.status !== 200) throw new Error(`audit failed: ${res.status} ${res.text}`);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}
