import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onPostgres, PGLITE_TEMPLATE_DIR, runCli } from '@kinship/testing';

/**
 * The cli's database for these suites: a fresh copy of the embedded template, or the suites'
 * PostgreSQL (DATABASE_URL, passed on by runCli).
 */
export class CliDatabase {
  readonly dir = mkdtempSync(join(tmpdir(), 'kinship-metrics-'));
  readonly env: Record<string, string> = {};

  constructor(dataDir?: string) {
    if (dataDir) this.env.DATA_DIR = dataDir;
    else if (!onPostgres()) {
      cpSync(PGLITE_TEMPLATE_DIR, join(this.dir, 'data', 'pg'), { recursive: true });
      this.env.DATA_DIR = join(this.dir, 'data');
    }
  }

  async cli(args: string[]): Promise<string> {
    const { code, output } = await runCli(args, this.env);
    if (code !== 0) throw new Error(`cli ${args[0]} exited ${code}:\n${output}`);
    return output;
  }

  /** `cli metrics` for a query, as parsed JSON. */
  async metrics(query: TruthQuery, extra: string[] = []): Promise<MetricsAnswer> {
    const out = join(this.dir, `metrics-${Date.now()}-${Math.random()}.json`);
    const args = [
      'metrics',
      '--groups',
      query.groupIds.join(','),
      '--from',
      query.from,
      '--to',
      query.to,
      '--poster-min',
      String(query.posterMinContributions),
      '--members',
      '--out',
      out,
      ...extra,
    ];
    if (query.participants) {
      const file = join(this.dir, 'participants.json');
      writeFileSync(file, JSON.stringify(query.participants));
      args.push('--participants', file);
    }
    await this.cli(args);
    return JSON.parse(readFileSync(out, 'utf8'));
  }

  /** `cli seed:synthetic`, returning its ground truth. */
  async seed(options: { members: number; days: number; groups: number; seed: number }) {
    const out = join(this.dir, `truth-${options.seed}.json`);
    await this.cli([
      'seed:synthetic',
      ...Object.entries(options).flatMap(([k, v]) => [`--${k}`, String(v)]),
      '--out',
      out,
    ]);
    return JSON.parse(readFileSync(out, 'utf8')) as Truth;
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface TruthQuery {
  groupIds: string[];
  from: string;
  to: string;
  posterMinContributions: number;
  participants: string[] | null;
}

export interface Truth {
  community: { groups: { id: string }[]; events: number };
  variants: { name: string; query: TruthQuery; groups: any[]; members: any[] }[];
}

export interface MetricsAnswer {
  groups: any[];
  members: any[];
}

/** Numbers to 12 significant digits: the SQL and the generator add floats in other orders. */
export function rounded<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v)),
  );
}

export const byMember = (a: { groupId: string; userId: string }, b: typeof a) =>
  a.groupId === b.groupId ? (a.userId < b.userId ? -1 : 1) : a.groupId < b.groupId ? -1 : 1;

/** The answer equals the ground truth: every group metric, every member's class and counts. */
export function expectTruth(answer: MetricsAnswer, truth: Truth['variants'][number]): void {
  expect(rounded(answer.groups)).toEqual(rounded(truth.groups));
  expect(answer.members.length).toBe(truth.members.length);
  expect(rounded([...answer.members].sort(byMember))).toEqual(
    rounded([...truth.members].sort(byMember)),
  );
}
