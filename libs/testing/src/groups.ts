import { uniqueSuffix } from './factories';
import type { TestApp } from './test-app';

export interface TestGroup {
  id: string;
  slug: string;
  name: string;
}

export function newGroupInput(overrides: Record<string, unknown> = {}) {
  const suffix = uniqueSuffix();
  return {
    name: `Living with IBD ${suffix}`,
    slug: `ibd-${suffix}`,
    condition: 'Inflammatory bowel disease',
    conditionCode: 'K50',
    description: 'Peer support for people living with Crohn’s disease or ulcerative colitis.',
    visibility: 'public',
    joinPolicy: 'open',
    ...overrides,
  };
}

/** Creates a group as `token` (a platform moderator or admin), who becomes its moderator. */
export async function createGroup(
  t: TestApp,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<TestGroup> {
  const res = await t.post('/groups', newGroupInput(overrides), { token });
  if (res.status !== 201) throw new Error(`create group failed: ${res.status} ${res.text}`);
  return res.body;
}

/** Joins and, for approval groups, has `moderatorToken` approve: the member ends up active. */
export async function joinGroup(
  t: TestApp,
  groupId: string,
  token: string,
  userId: string,
  moderatorToken?: string,
) {
  const res = await t.post(`/groups/${groupId}/members`, undefined, { token });
  if (res.status !== 201) throw new Error(`join failed: ${res.status} ${res.text}`);
  if (res.body.status === 'pending' && moderatorToken) {
    const ok = await t.patch(
      `/groups/${groupId}/members/${userId}`,
      { status: 'active' },
      { token: moderatorToken },
    );
    if (ok.status !== 200) throw new Error(`approve failed: ${ok.status} ${ok.text}`);
  }
}
