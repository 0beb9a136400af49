import type { INestApplicationContext } from '@nestjs/common';
import { type PlatformRole, UserService } from '@kinship/identity';

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
    const email = `${demo.handle.replace(/_/g, '.')}@demo.kinship.invalid`;
    if (await users.findByEmail(email)) continue;
    await users.createUser({
      email,
      password: DEMO_PASSWORD,
      handle: demo.handle,
      role: demo.role,
    });
  }
  console.log('Demo community ready. Sign in with any of these (password: %s):', DEMO_PASSWORD);
  for (const demo of DEMO_USERS) {
    console.log(`  ${demo.role.padEnd(10)} ${demo.handle.replace(/_/g, '.')}@demo.kinship.invalid`);
  }
  return 0;
}
