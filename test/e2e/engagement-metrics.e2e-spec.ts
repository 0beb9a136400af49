import { onPostgres, TestApp } from '@kinship/testing';
import { CliDatabase, expectTruth, type Truth } from './engagement-fixtures';

/**
 * Every metric and class of libs/engagement/METRICS.md, exact against the ground truth the
 * synthetic generator computes on its own (plain TypeScript over the rows it wrote), for two
 * queries: every member with the default poster threshold, and a third of the users left out
 * as non-participants with the threshold at 4.
 *
 * Embedded: the cli works on its own data directory, first with nothing rolled up (everything
 * from the log), then after `engagement:rollup`. PostgreSQL: an api process beside the cli rolls
 * up every 200 ms while the suite seeds and queries, so answers mix roll-ups and log at whatever
 * point the roll-up has reached.
 */
const COMMUNITIES = [
  { size: 'small', members: 80, days: 40, groups: 2 },
  { size: 'medium', members: 1200, days: 100, groups: 3 },
];

describe.each(COMMUNITIES)('engagement metrics = ground truth: $size community', (c) => {
  let db: CliDatabase;
  let api: TestApp | undefined;
  let truth: Truth;

  beforeAll(async () => {
    db = new CliDatabase();
    if (onPostgres()) api = await TestApp.start({ ENGAGEMENT_ROLLUP_INTERVAL_MS: '200' });
    const seed = 1 + Math.floor(Math.random() * 2 ** 30);
    truth = await db.seed({ members: c.members, days: c.days, groups: c.groups, seed });
  }, 300_000);

  afterAll(async () => {
    await api?.close();
    db?.close();
  });

  it('the generated community has the expected shape', () => {
    const all = truth.variants[0];
    expect(all.groups).toHaveLength(c.groups);
    const members = all.groups.reduce((n, g) => n + g.members, 0);
    const lurkers = all.groups.reduce((n, g) => n + g.lurkers, 0);
    const posters = all.groups.reduce((n, g) => n + g.posters, 0);
    // Most members read only; posters are a minority; the top 10% write most of it.
    expect(lurkers).toBeGreaterThan(posters);
    expect(lurkers / members).toBeGreaterThan(0.3);
    expect(all.groups.every((g) => g.top10Share === null || g.top10Share > 0.5)).toBe(true);
    if (c.size === 'medium') {
      expect(all.groups.some((g) => g.delurked > 0)).toBe(true);
      expect(all.groups.every((g) => g.newcomers.count > 0)).toBe(true);
      expect(all.groups.every((g) => g.weeklyRetention.length > 0)).toBe(true);
    }
  });

  it(
    onPostgres()
      ? 'equals the ground truth while the api rolls up (both queries)'
      : 'equals the ground truth with nothing rolled up yet, from the log (both queries)',
    async () => {
      for (const variant of truth.variants) expectTruth(await db.metrics(variant.query), variant);
    },
    300_000,
  );

  it('equals the ground truth once everything is rolled up (both queries)', async () => {
    const out = await db.cli(['engagement:rollup']);
    expect(out).toMatch(/rolled up \d+ events/);
    for (const variant of truth.variants) expectTruth(await db.metrics(variant.query), variant);
  }, 300_000);

  it('without any participant: every group answers, with nobody counted', async () => {
    const query = { ...truth.variants[0].query, participants: [] };
    const answer = await db.metrics(query);
    const weeks = truth.variants[0].groups[0].weeklyRetention.length;
    expect(answer.members).toEqual([]);
    for (const g of answer.groups) {
      expect(g).toMatchObject({
        members: 0,
        lurkerShare: null,
        gini: null,
        top1Share: null,
        contributions: { total: 0, perMember: { median: null, mean: null } },
        threadsStarted: 0,
        medianHoursToFirstReply: null,
        newcomers: { count: 0, medianHoursToReply: null },
      });
      expect(g.weeklyRetention).toEqual(
        Array.from({ length: weeks }, (_, week) => ({ week, eligible: 0, active: 0, share: null })),
      );
    }
  }, 120_000);

  it('equals the ground truth computed from the log alone (--from-log)', async () => {
    const variant = truth.variants[1];
    expectTruth(await db.metrics(variant.query, ['--from-log']), variant);
  }, 300_000);
});

describe('cli metrics refuses a bad query and changes nothing', () => {
  let db: CliDatabase;
  beforeAll(() => (db = new CliDatabase()));
  afterAll(() => db?.close());

  it('a window that ends before it starts, or a group id that is not one', async () => {
    await expect(
      db.metrics({
        groupIds: ['not-a-group'],
        from: '2026-03-01T00:00:00Z',
        to: '2026-02-01T00:00:00Z',
        posterMinContributions: 1,
        participants: null,
      }),
    ).rejects.toThrow(/groupIds: must be UUIDs; to: must be after from/);
  }, 60_000);
});
