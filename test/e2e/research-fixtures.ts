import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createGroup,
  joinGroup,
  onPostgres,
  registerUser,
  TestApp,
  type TestGroup,
  type TestUser,
  userWithRole,
} from '@kinship/testing';

/** Shared set-up of the research suites (not a suite itself). */
export const WORKER_MAIN = join(process.cwd(), 'dist', 'apps', 'worker', 'src', 'main.js');
export const DAY_MS = 86_400_000;

export interface ResearchWorld {
  t: TestApp;
  admin: TestUser;
  /** Owns the studies of the suite. */
  researcher: TestUser;
  otherResearcher: TestUser;
  /** Platform moderator who created the groups (so their group moderator). */
  groupOwner: TestUser;
  groupA: TestGroup;
  groupB: TestGroup;
  privateGroup: TestGroup;
  exportDir: string;
  stop(): Promise<void>;
}

/**
 * An api (and, on PostgreSQL with Redis, the worker that builds exports from its BullMQ queue)
 * with three groups: two public, one private the researchers are not in.
 */
export async function startResearch(env: Record<string, string> = {}): Promise<ResearchWorld> {
  const exportDir = mkdtempSync(join(tmpdir(), 'kinship-exports-'));
  const settings: Record<string, string> = {
    EXPORT_DIR: exportDir,
    // The embedded database lives inside the api: exports are built there, never by a worker.
    ...(onPostgres() ? {} : { REDIS_URL: '' }),
    ...env,
  };
  const { t, admin } = await TestApp.startWithAdmin(settings);
  let worker: ChildProcess | undefined;
  if (onPostgres() && process.env.REDIS_URL && settings.REDIS_URL !== '') {
    worker = await startWorker(t.env);
  }
  const researcher = await userWithRole(t, admin.accessToken, 'researcher');
  const otherResearcher = await userWithRole(t, admin.accessToken, 'researcher');
  const groupOwner = await userWithRole(t, admin.accessToken, 'moderator');
  const groupA = await createGroup(t, groupOwner.accessToken, { condition: 'Type 1 diabetes' });
  const groupB = await createGroup(t, groupOwner.accessToken, { condition: 'Crohn disease' });
  const privateGroup = await createGroup(t, groupOwner.accessToken, {
    visibility: 'private',
    joinPolicy: 'approval',
  });
  return {
    t,
    admin,
    researcher,
    otherResearcher,
    groupOwner,
    groupA,
    groupB,
    privateGroup,
    exportDir,
    async stop() {
      if (worker) {
        worker.kill('SIGTERM');
        await new Promise((resolve) => worker!.once('exit', resolve));
      }
      await t.close();
      rmSync(exportDir, { recursive: true, force: true });
    },
  };
}

/** The worker process with the api's settings (same database, Redis prefix and EXPORT_DIR). */
async function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [WORKER_MAIN], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: process.env.DATABASE_URL,
      REDIS_URL: process.env.REDIS_URL,
      ...env,
      // Its start line is how the suite knows it is ready.
      LOG_LEVEL: 'info',
    } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 30_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('worker started')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', () => reject(new Error(`worker exited:\n${output}`)));
  });
  return child;
}

export function studyInput(groupIds: string[], overrides: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    title: 'Empowerment of readers and posters',
    description: 'Do members who only read feel as empowered as those who post?',
    groupIds,
    startsAt: new Date(now - DAY_MS).toISOString(),
    endsAt: new Date(now + 60 * DAY_MS).toISOString(),
    consentText: 'I agree that my activity is used, under a pseudonym, for this study.',
    consentVersion: '2026-1',
    ...overrides,
  };
}

/** A study created by `owner` and, unless `draft`, approved by the admin. */
export async function openStudy(
  w: ResearchWorld,
  groupIds: string[],
  overrides: Record<string, unknown> = {},
  owner: TestUser = w.researcher,
): Promise<{ id: string; [key: string]: unknown }> {
  const created = await w.t.post('/research/studies', studyInput(groupIds, overrides), {
    token: owner.accessToken,
  });
  if (created.status !== 201) throw new Error(`study: ${created.status} ${created.text}`);
  const approved = await w.t.post(`/research/studies/${created.body.id}/approve`, undefined, {
    token: w.admin.accessToken,
  });
  if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${approved.text}`);
  return approved.body;
}

/** A new user who is an active member of each group. */
export async function member(w: ResearchWorld, groups: TestGroup[]): Promise<TestUser> {
  const user = await registerUser(w.t);
  for (const g of groups) {
    await joinGroup(w.t, g.id, user.accessToken, user.id, w.groupOwner.accessToken);
  }
  return user;
}

export async function consent(
  w: ResearchWorld,
  user: TestUser,
  studyId: string,
  granted = true,
): Promise<void> {
  const res = await w.t.request('PUT', `/research/studies/${studyId}/consent`, {
    token: user.accessToken,
    body: { granted },
  });
  if (res.status !== 200) throw new Error(`consent: ${res.status} ${res.text}`);
}

/** Requests an export and waits until it is built; answers the finished export. */
export async function exportStudy(
  w: ResearchWorld,
  studyId: string,
  format: 'csv' | 'ndjson' = 'csv',
  owner: TestUser = w.researcher,
): Promise<{ id: string; status: string; files: { name: string; rows: number; bytes: number }[] }> {
  const res = await w.t.post(
    `/research/studies/${studyId}/exports`,
    { format },
    {
      token: owner.accessToken,
    },
  );
  if (res.status !== 202) throw new Error(`export: ${res.status} ${res.text}`);
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    const got = await w.t.get(`/research/exports/${res.body.id}`, { token: owner.accessToken });
    if (got.body.status === 'ready' || got.body.status === 'failed') return got.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`export ${res.body.id} not built in time`);
}

/** Every file of a finished export, by name. */
export async function download(
  w: ResearchWorld,
  exportId: string,
  names: string[],
  owner: TestUser = w.researcher,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of names) {
    const res = await w.t.get(`/research/exports/${exportId}/files/${name}`, {
      token: owner.accessToken,
    });
    if (res.status !== 200) throw new Error(`file ${name}: ${res.status} ${res.text}`);
    files.set(name, res.text);
  }
  return files;
}

/** CSV rows as objects (the export's cells never hold commas, quotes or new lines). */
export function parseCsv(text: string): { header: string[]; rows: Record<string, string>[] } {
  const [head, ...lines] = text.trimEnd().split('\n');
  const header = head.split(',');
  const rows = lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
  return { header, rows };
}

/** Reads (thread pages, chat cursors) are written to the event log about every second. */
export const flushReads = () => new Promise((r) => setTimeout(r, 1_500));
