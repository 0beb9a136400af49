import type { TestUser } from '@kinship/testing';
import {
  consent,
  flushReads,
  member,
  openStudy,
  type ResearchWorld,
  startResearch,
} from './research-fixtures';

/**
 * GET /research/studies/{id}/metrics: the group metrics of libs/engagement/METRICS.md over the
 * study's consenting members only, k-suppressed, for the study's owner alone.
 */
describe('research: study metrics', () => {
  let w: ResearchWorld;
  let studyId: string;
  let posters: TestUser[];
  let threadId: string;
  beforeAll(async () => {
    w = await startResearch();
    const { t, groupA } = w;
    studyId = (await openStudy(w, [groupA.id], { kAnonymity: 2 })).id;
    posters = [];
    for (let i = 0; i < 3; i++) posters.push(await member(w, [groupA]));
    const lurkers = [await member(w, [groupA]), await member(w, [groupA])];
    const inactive = await member(w, [groupA]);
    const refuser = await member(w, [groupA]);
    for (const p of [...posters, refuser]) {
      const res = await t.post(
        `/groups/${groupA.id}/threads`,
        { title: 'Coming off steroids', body: 'How did you taper?' },
        { token: p.accessToken },
      );
      expect(res.status).toBe(201);
      threadId = res.body.id;
    }
    for (const l of lurkers) {
      expect((await t.get(`/threads/${threadId}/posts`, { token: l.accessToken })).status).toBe(
        200,
      );
    }
    for (const u of [...posters, ...lurkers, inactive]) await consent(w, u, studyId);
    await flushReads();
  });
  afterAll(async () => {
    await w?.stop();
  });

  const metrics = (token = w.researcher.accessToken) =>
    w.t.get(`/research/studies/${studyId}/metrics`, { token });

  it('classifies the consenting members only, and suppresses every count under k', async () => {
    const res = await metrics();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ studyId, kAnonymity: 2, posterMinContributions: 1 });
    expect(res.body.window.kind).toBe('fixed');
    const [g] = res.body.groups;
    expect(g).toMatchObject({
      groupCode: 'G01',
      participants: 6,
      posters: 3,
      lurkers: 2,
      // One inactive member: under k = 2.
      inactive: null,
    });
    expect(g.contributions.threads).toBe(3);
    expect(g.lurkerShare).toBeCloseTo(2 / 6, 5);
  });

  it('a withdrawal takes the member out of the next answer', async () => {
    await consent(w, posters[0], studyId, false);
    const [g] = (await metrics()).body.groups;
    expect(g).toMatchObject({ participants: 5, posters: 2, lurkers: 2 });
    await consent(w, posters[0], studyId, true);
  });

  it('no people count from 1 to k-1 anywhere in the answer', async () => {
    const strict = await openStudy(w, [w.groupA.id], { kAnonymity: 5 });
    for (const u of posters) await consent(w, u, strict.id);
    const res = await w.t.get(`/research/studies/${strict.id}/metrics`, {
      token: w.researcher.accessToken,
    });
    expect(res.status).toBe(200);
    const [g] = res.body.groups;
    // Three participants in all: under k, so nothing but the group's code is shown.
    expect(g.groupCode).toBe('G01');
    expect(g.participants).toBeNull();
    const numbers: number[] = [];
    const walk = (v: unknown) => {
      if (typeof v === 'number') numbers.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk({ ...g, weeklyRetention: g.weeklyRetention.map((r: any) => ({ ...r, week: null })) });
    expect(numbers.filter((n) => n >= 1 && n < 5 && Number.isInteger(n))).toEqual([]);
  });

  it('only the owner reads them: everyone else gets 404', async () => {
    for (const user of [w.admin, w.otherResearcher, posters[1], w.groupOwner]) {
      expect((await metrics(user.accessToken)).status).toBe(404);
    }
    expect((await w.t.get(`/research/studies/${studyId}/metrics`)).status).toBe(401);
  });
});
