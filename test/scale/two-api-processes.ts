import {
  adminEnv,
  createGroup,
  login,
  newAdminCredentials,
  TestApp,
  type TestGroup,
  type TestUser,
  uniqueSuffix,
  userWithRole,
} from '@kinship/testing';

/** True when the scale suites can run: they need the real PostgreSQL and Redis. */
export const scaleReady = (): boolean => !!process.env.DATABASE_URL && !!process.env.REDIS_URL;

export interface TwoApiProcesses {
  a: TestApp;
  b: TestApp;
  /** The bootstrap admin, signed in on A. */
  admin: TestUser;
  /** A platform moderator, who created `group` on A and moderates it. */
  moderator: TestUser;
  group: TestGroup;
  /** Their environment: a third process started with it joins the same community. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The production shape in small: two api processes on the suites' PostgreSQL and one Redis, under
 * a key prefix of their own, with an admin, a moderator and one open group.
 */
export async function startTwoApiProcesses(): Promise<TwoApiProcesses> {
  const credentials = newAdminCredentials();
  const env = {
    REDIS_KEY_PREFIX: `scale-${uniqueSuffix()}`,
    CHAT_MESSAGES_PER_SECOND: '1000',
    CHAT_BURST: '1000',
    ...adminEnv(credentials),
  };
  const [a, b] = await Promise.all([TestApp.start(env), TestApp.start(env)]);
  const close = async () => {
    await Promise.all([a.close(), b.close()]);
  };
  try {
    const admin = await login(a, credentials.email, credentials.password);
    const moderator = await userWithRole(a, admin.accessToken, 'moderator');
    const group = await createGroup(a, moderator.accessToken);
    return { a, b, admin, moderator, group, env, close };
  } catch (error) {
    await close();
    throw error;
  }
}
