import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { onPostgres } from '@kinship/testing';
import {
  consent,
  exportStudy,
  member,
  openStudy,
  type ResearchWorld,
  startResearch,
} from './research-fixtures';

const waitFor = async (check: () => Promise<boolean> | boolean, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
};

/** Exports expire (410) after EXPORT_TTL_HOURS, and the sweep deletes their files. */
describe('research: export expiry', () => {
  let w: ResearchWorld;
  beforeAll(async () => {
    // About two seconds, swept every second.
    w = await startResearch({ EXPORT_TTL_HOURS: '0.0006', EXPORT_SWEEP_SECONDS: '1' });
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('an expired export answers 410 and its files are deleted; the record stays', async () => {
    const { t, researcher, groupA } = w;
    const study = await openStudy(w, [groupA.id], { kAnonymity: 2 });
    for (let i = 0; i < 2; i++) await consent(w, await member(w, [groupA]), study.id);
    const done = await exportStudy(w, study.id);
    expect(done.status).toBe('ready');
    const dir = join(w.exportDir, done.id);
    expect(existsSync(join(dir, 'participants.csv'))).toBe(true);
    const token = researcher.accessToken;

    await waitFor(
      async () => (await t.get(`/research/exports/${done.id}`, { token })).status === 410,
    );
    const gone = await t.get(`/research/exports/${done.id}/files/participants.csv`, { token });
    expect(gone.status).toBe(410);
    expect(gone.body.type).toBe('/problems/export-expired');
    await waitFor(() => !existsSync(dir));
    // Still listed: the request itself is the durable record.
    const listed = await t.get(`/research/studies/${study.id}/exports`, { token });
    expect(listed.body.items.map((e: { id: string }) => e.id)).toContain(done.id);
  });

  it('no more than three exports of a study wait at once (409)', async () => {
    const { t, researcher, groupA } = w;
    const study = await openStudy(w, [groupA.id], { kAnonymity: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (
          await t.post(
            `/research/studies/${study.id}/exports`,
            { format: 'csv' },
            { token: researcher.accessToken },
          )
        ).status,
      );
    }
    // Builds are quick: some may finish between requests, but never more than three wait.
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(3);
    expect(statuses.every((s) => s === 202 || s === 409)).toBe(true);
  });

  /** A crash leaves a job `running` with a silent heartbeat; only SQL can stage one. */
  (onPostgres() ? it : it.skip)(
    'an interrupted job is built again; one interrupted too often fails with a reason',
    async () => {
      const { t, researcher, groupA } = w;
      const study = await openStudy(w, [groupA.id], { kAnonymity: 2 });
      const db = new Client({ connectionString: process.env.DATABASE_URL });
      await db.connect();
      try {
        const stage = async (attempts: number) =>
          (
            await db.query(
              `INSERT INTO research_exports (study_id, requested_by, format, status, attempts,
                 started_at, heartbeat_at)
               VALUES ($1, $2, 'csv', 'running', $3, now() - interval '2 minutes',
                 now() - interval '2 minutes') RETURNING id`,
              [study.id, researcher.id, attempts],
            )
          ).rows[0].id as string;
        const resumed = await stage(1);
        const givenUp = await stage(3);
        const token = researcher.accessToken;
        const status = async (id: string) =>
          (await t.get(`/research/exports/${id}`, { token })).body;
        // Picked up by the next sweep (every second here), whichever process builds exports.
        await waitFor(async () => (await status(resumed)).status === 'ready', 30_000);
        await waitFor(async () => (await status(givenUp)).status === 'failed', 30_000);
        expect((await status(givenUp)).error).toBe('the build was interrupted too many times');
      } finally {
        await db.end();
      }
    },
  );
});
