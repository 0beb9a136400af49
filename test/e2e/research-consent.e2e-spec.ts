import { registerUser } from '@kinship/testing';
import {
  member,
  openStudy,
  type ResearchWorld,
  startResearch,
  studyInput,
} from './research-fixtures';

describe('research: consent', () => {
  let w: ResearchWorld;
  beforeAll(async () => {
    w = await startResearch();
  });
  afterAll(async () => {
    await w?.stop();
  });

  const put = (token: string, studyId: string, body: unknown) =>
    w.t.request('PUT', `/research/studies/${studyId}/consent`, { token, body });

  it('records consent with the version, once; withdrawal; consent again', async () => {
    const { t, groupA } = w;
    const study = await openStudy(w, [groupA.id]);
    const m = await member(w, [groupA]);
    const given = await put(m.accessToken, study.id, { granted: true });
    expect(given.status).toBe(200);
    expect(given.body).toEqual({
      studyId: study.id,
      granted: true,
      consentVersion: '2026-1',
      grantedAt: expect.any(String),
      withdrawnAt: null,
    });
    // The same consent again changes nothing.
    const again = await put(m.accessToken, study.id, { granted: true });
    expect(again.body.grantedAt).toBe(given.body.grantedAt);

    const withdrawn = await put(m.accessToken, study.id, { granted: false });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ granted: false, grantedAt: given.body.grantedAt });
    expect(Date.parse(withdrawn.body.withdrawnAt)).toBeGreaterThanOrEqual(
      Date.parse(given.body.grantedAt),
    );
    const seen = await t.get(`/research/studies/${study.id}`, { token: m.accessToken });
    expect(seen.body.consent).toMatchObject({
      granted: false,
      withdrawnAt: withdrawn.body.withdrawnAt,
    });

    const renewed = await put(m.accessToken, study.id, { granted: true });
    expect(renewed.body).toMatchObject({ granted: true, withdrawnAt: null });
    expect(Date.parse(renewed.body.grantedAt)).toBeGreaterThanOrEqual(
      Date.parse(withdrawn.body.withdrawnAt),
    );
  });

  it('withdrawing without having consented is a no-op answer', async () => {
    const study = await openStudy(w, [w.groupA.id]);
    const m = await member(w, [w.groupA]);
    const res = await put(m.accessToken, study.id, { granted: false });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      studyId: study.id,
      granted: false,
      consentVersion: '2026-1',
      grantedAt: null,
      withdrawnAt: null,
    });
  });

  it('only active members of the study groups consent; others get 404', async () => {
    const { t, groupA, groupB, privateGroup, otherResearcher } = w;
    const study = await openStudy(w, [groupA.id]);
    const inB = await member(w, [groupB]);
    const outsider = await registerUser(t);
    const pending = await registerUser(t);
    await t.post(`/groups/${privateGroup.id}/members`, undefined, { token: pending.accessToken });
    const privateStudy = await openStudy(w, [privateGroup.id], {}, w.admin);
    for (const [token, id] of [
      [inB.accessToken, study.id],
      [outsider.accessToken, study.id],
      [otherResearcher.accessToken, study.id],
      [pending.accessToken, privateStudy.id],
    ]) {
      expect((await put(token, id, { granted: true })).status).toBe(404);
    }
  });

  it('a draft cannot be consented to (404); a closed study refuses new consent (409) but not withdrawal', async () => {
    const { t, researcher, groupA } = w;
    const m = await member(w, [groupA]);
    const draft = await t.post('/research/studies', studyInput([groupA.id]), {
      token: researcher.accessToken,
    });
    expect((await put(m.accessToken, draft.body.id, { granted: true })).status).toBe(404);

    const study = await openStudy(w, [groupA.id]);
    const late = await member(w, [groupA]);
    await put(m.accessToken, study.id, { granted: true });
    await t.post(`/research/studies/${study.id}/close`, undefined, {
      token: researcher.accessToken,
    });
    // A participant still sees the closed study and can withdraw.
    expect((await t.get(`/research/studies/${study.id}`, { token: m.accessToken })).status).toBe(
      200,
    );
    expect((await put(m.accessToken, study.id, { granted: false })).status).toBe(200);
    const refused = await put(m.accessToken, study.id, { granted: true });
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe('/problems/study-not-open');
    expect((await put(late.accessToken, study.id, { granted: true })).status).toBe(404);
  });

  it('a member who left the group may withdraw but not consent again (403)', async () => {
    const { t, groupA } = w;
    const study = await openStudy(w, [groupA.id]);
    const m = await member(w, [groupA]);
    await put(m.accessToken, study.id, { granted: true });
    expect(
      (await t.delete(`/groups/${groupA.id}/members/me`, { token: m.accessToken })).status,
    ).toBe(204);
    expect((await put(m.accessToken, study.id, { granted: false })).status).toBe(200);
    const res = await put(m.accessToken, study.id, { granted: true });
    expect(res.status).toBe(403);
    expect(res.body.type).toBe('/problems/not-in-study-groups');
  });

  it('400 for a body that is not {granted: boolean}', async () => {
    const study = await openStudy(w, [w.groupA.id]);
    const m = await member(w, [w.groupA]);
    for (const body of [{}, { granted: 'yes' }, { granted: 1 }, { granted: true, version: '1' }]) {
      expect((await put(m.accessToken, study.id, body)).status).toBe(400);
    }
  });
});
