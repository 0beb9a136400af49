import type { INestApplicationContext } from '@nestjs/common';
import { CommunitiesErrorCode, CommunitiesException, GroupService } from '@kinship/communities';
import { PostService, ThreadService } from '@kinship/discussions';
import { type AuthUser, type PlatformRole, UserService } from '@kinship/identity';
import { DEMO_GROUPS, type DemoGroup } from './demo-discussions';

/** Shared by every demo account, printed at the end: a demo is for looking around. */
export const DEMO_PASSWORD = 'kinship-demo-community';

const DEMO_USERS: { handle: string; role: PlatformRole }[] = [
  { handle: 'demo_admin', role: 'admin' },
  { handle: 'nurse_ines', role: 'moderator' },
  { handle: 'dr_okafor', role: 'researcher' },
  { handle: 'rosa_t1d', role: 'member' },
  { handle: 'sam_ibd', role: 'member' },
  { handle: 'mei_pink_ribbon', role: 'member' },
  { handle: 'quiet_reader', role: 'member' },
];

/** A small community to look at. Idempotent: existing demo accounts are kept. */
export async function seedDemo(app: INestApplicationContext): Promise<number> {
  const users = app.get(UserService);
  for (const demo of DEMO_USERS) {
    const email = demoEmail(demo.handle);
    if (await users.findByEmail(email)) continue;
    await users.createUser({
      email,
      password: DEMO_PASSWORD,
      handle: demo.handle,
      role: demo.role,
    });
  }
  const actors = new Map<string, AuthUser>();
  for (const demo of DEMO_USERS) {
    const user = (await users.findByEmail(demoEmail(demo.handle)))!;
    // The services take the caller as HTTP hands it over; the cli acts as each demo member.
    actors.set(demo.handle, { id: user.id, handle: user.handle, role: user.role, sessionId: '' });
  }
  for (const group of DEMO_GROUPS) await seedGroup(app, group, (h) => actors.get(h)!);
  console.log('Demo community ready. Sign in with any of these (password: %s):', DEMO_PASSWORD);
  for (const demo of DEMO_USERS) {
    console.log(`  ${demo.role.padEnd(10)} ${demoEmail(demo.handle)}`);
  }
  console.log('Staff roles act after turning on two-factor sign-in (POST /api/v1/auth/2fa/setup).');
  return 0;
}

const demoEmail = (handle: string) => `${handle.replace(/_/g, '.')}@demo.kinship.invalid`;

/**
 * A condition group with its members and conversations, through the same services as the api
 * (so engagement events are recorded as for real members). A group whose slug exists is left as
 * it is: seeding twice changes nothing.
 */
async function seedGroup(
  app: INestApplicationContext,
  demo: DemoGroup,
  actor: (handle: string) => AuthUser,
): Promise<void> {
  const groups = app.get(GroupService);
  const threads = app.get(ThreadService);
  const posts = app.get(PostService);
  const moderator = actor(demo.moderator);
  let groupId: string;
  try {
    ({ id: groupId } = await groups.create(moderator, {
      name: demo.name,
      slug: demo.slug,
      condition: demo.condition,
      conditionCode: demo.conditionCode,
      description: demo.description,
      visibility: demo.visibility,
      joinPolicy: demo.joinPolicy,
    }));
  } catch (error) {
    if (error instanceof CommunitiesException && error.code === CommunitiesErrorCode.SlugTaken) {
      return;
    }
    throw error;
  }
  for (const handle of demo.members) {
    const member = actor(handle);
    const membership = await groups.join(member, groupId);
    if (membership.status === 'pending') {
      await groups.updateMember(moderator, groupId, member.id, { status: 'active' });
    }
  }
  for (const t of demo.threads) {
    const thread = await threads.create(actor(t.author), groupId, { title: t.title, body: t.body });
    const ids: string[] = [];
    for (const r of t.replies) {
      const replyToPostId =
        r.replyTo === undefined ? undefined : r.replyTo < 0 ? thread.firstPost!.id : ids[r.replyTo];
      const post = await posts.reply(actor(r.author), thread.id, { body: r.body, replyToPostId });
      ids.push(post.id);
    }
  }
}
