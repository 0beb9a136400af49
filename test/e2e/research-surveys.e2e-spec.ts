import { registerUser, type TestUser } from '@kinship/testing';
import { consent, member, openStudy, type ResearchWorld, startResearch } from './research-fixtures';

const ITEMS = [
  { key: 'informed', text: 'I feel well informed about my condition.', min: 1, max: 5 },
  { key: 'confident', text: 'I feel confident talking with my physician.', min: 1, max: 5 },
  { key: 'optimism', text: 'How optimistic are you (0–10)?', min: 0, max: 10 },
];

describe('research: surveys', () => {
  let w: ResearchWorld;
  let studyId: string;
  let participant: TestUser;
  beforeAll(async () => {
    w = await startResearch();
    studyId = (await openStudy(w, [w.groupA.id])).id;
    participant = await member(w, [w.groupA]);
    await consent(w, participant, studyId);
  });
  afterAll(async () => {
    await w?.stop();
  });

  const newSurvey = async (overrides: Record<string, unknown> = {}, id = studyId) => {
    const res = await w.t.post(
      `/research/studies/${id}/surveys`,
      { title: 'Empowerment', wave: 'baseline', items: ITEMS, ...overrides },
      { token: w.researcher.accessToken },
    );
    if (res.status !== 201) throw new Error(`survey: ${res.status} ${res.text}`);
    return res.body;
  };
  const answer = (token: string, surveyId: string, answers: unknown) =>
    w.t.post(`/research/surveys/${surveyId}/responses`, { answers }, { token });
  const pendingIds = async (token: string) =>
    (await w.t.get('/me/surveys?limit=100', { token })).body.items.map((s: { id: string }) => s.id);

  it('the owner adds surveys, coded S01, S02… in order', async () => {
    const first = await newSurvey();
    expect(first).toMatchObject({ studyId, title: 'Empowerment', wave: 'baseline', items: ITEMS });
    const second = await newSurvey({ wave: 'follow_up' });
    expect(Number(second.code.slice(1))).toBe(Number(first.code.slice(1)) + 1);
    expect(first.code).toMatch(/^S\d{2}$/);
    const listed = await w.t.get(`/research/studies/${studyId}/surveys`, {
      token: w.researcher.accessToken,
    });
    expect(listed.body.items.map((s: { id: string }) => s.id)).toEqual(
      expect.arrayContaining([first.id, second.id]),
    );
  });

  it('no one else adds or lists surveys (404)', async () => {
    const body = { title: 'x', items: ITEMS };
    for (const user of [w.admin, w.otherResearcher, participant]) {
      const path = `/research/studies/${studyId}/surveys`;
      expect((await w.t.post(path, body, { token: user.accessToken })).status).toBe(404);
      expect((await w.t.get(path, { token: user.accessToken })).status).toBe(404);
    }
  });

  it.each([
    ['no items', { items: [] }, 'items'],
    [
      '101 items',
      {
        items: Array.from({ length: 101 }, (_, i) => ({ key: `q${i}`, text: 'q', min: 1, max: 5 })),
      },
      'items',
    ],
    ['a repeated key', { items: [ITEMS[0], { ...ITEMS[1], key: 'informed' }] }, 'items.1.key'],
    ['min equal to max', { items: [{ ...ITEMS[0], min: 3, max: 3 }] }, 'items.0.max'],
    ['min above max', { items: [{ ...ITEMS[0], min: 5, max: 1 }] }, 'items.0.max'],
    ['a fractional bound', { items: [{ ...ITEMS[0], max: 4.5 }] }, 'items.0.max'],
    [
      'a key that is not a slug',
      { items: [{ ...ITEMS[0], key: 'Feels Informed' }] },
      'items.0.key',
    ],
    ['an item without text', { items: [{ ...ITEMS[0], text: '' }] }, 'items.0.text'],
    ['an unknown wave', { wave: 'midline' }, 'wave'],
    ['an unknown item field', { items: [{ ...ITEMS[0], weight: 2 }] }, 'items.0.weight'],
  ])('400 for %s', async (_, overrides, field) => {
    const res = await w.t.post(
      `/research/studies/${studyId}/surveys`,
      { title: 'Bad', items: ITEMS, ...overrides },
      { token: w.researcher.accessToken },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('consented members see pending surveys, answer each once, and it leaves their list', async () => {
    const survey = await newSurvey();
    expect(await pendingIds(participant.accessToken)).toContain(survey.id);
    const answers = { informed: 4, confident: 2, optimism: 0 };
    const res = await answer(participant.accessToken, survey.id, answers);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ surveyId: survey.id, answers });
    expect(await pendingIds(participant.accessToken)).not.toContain(survey.id);
    const second = await answer(participant.accessToken, survey.id, answers);
    expect(second.status).toBe(409);
    expect(second.body.type).toBe('/problems/survey-already-answered');
  });

  it('two answers sent at once: one is stored, the other is a 409', async () => {
    const survey = await newSurvey();
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        answer(participant.accessToken, survey.id, { informed: 1, confident: 1, optimism: 1 }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it.each([
    ['a missing item', { informed: 4, confident: 2 }, 'answers.optimism'],
    ['a value above the range', { informed: 6, confident: 2, optimism: 3 }, 'answers.informed'],
    ['a value below the range', { informed: 0, confident: 2, optimism: 3 }, 'answers.informed'],
    ['a fraction', { informed: 2.5, confident: 2, optimism: 3 }, 'answers.informed'],
    ['a number as text', { informed: '2', confident: 2, optimism: 3 }, 'answers.informed'],
    ['null', { informed: null, confident: 2, optimism: 3 }, 'answers.informed'],
    ['an extra key', { informed: 2, confident: 2, optimism: 3, mood: 3 }, 'answers.mood'],
  ])('400 for %s, and nothing is stored', async (_, answers, field) => {
    const survey = await newSurvey();
    const res = await answer(participant.accessToken, survey.id, answers);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await pendingIds(participant.accessToken)).toContain(survey.id);
  });

  it('400 when answers is not an object', async () => {
    const survey = await newSurvey();
    for (const answers of [[1, 2, 3], 'all 5', null]) {
      expect((await answer(participant.accessToken, survey.id, answers)).status).toBe(400);
    }
  });

  it('members who did not consent (403), outsiders (404) and withdrawn members (403) cannot answer', async () => {
    const survey = await newSurvey();
    const ok = { informed: 3, confident: 3, optimism: 3 };
    const notConsented = await member(w, [w.groupA]);
    const outsider = await registerUser(w.t);
    expect((await answer(notConsented.accessToken, survey.id, ok)).status).toBe(403);
    expect(await pendingIds(notConsented.accessToken)).toEqual([]);
    expect((await answer(outsider.accessToken, survey.id, ok)).status).toBe(404);
    expect(
      (await answer(outsider.accessToken, '6f1c1a9e-2b7a-4c1e-9d51-0a3f6f1f1f1f', ok)).status,
    ).toBe(404);

    const leaving = await member(w, [w.groupA]);
    await consent(w, leaving, studyId);
    expect(await pendingIds(leaving.accessToken)).toContain(survey.id);
    await consent(w, leaving, studyId, false);
    expect(await pendingIds(leaving.accessToken)).not.toContain(survey.id);
    expect((await answer(leaving.accessToken, survey.id, ok)).status).toBe(403);
  });

  it('a closed study takes no answers (409) and shows no pending surveys; no new surveys either', async () => {
    const study = await openStudy(w, [w.groupA.id]);
    const m = await member(w, [w.groupA]);
    await consent(w, m, study.id);
    const survey = await newSurvey({}, study.id);
    expect(await pendingIds(m.accessToken)).toContain(survey.id);
    await w.t.post(`/research/studies/${study.id}/close`, undefined, {
      token: w.researcher.accessToken,
    });
    expect(await pendingIds(m.accessToken)).not.toContain(survey.id);
    expect(
      (await answer(m.accessToken, survey.id, { informed: 1, confident: 1, optimism: 1 })).status,
    ).toBe(409);
    const more = await w.t.post(
      `/research/studies/${study.id}/surveys`,
      { title: 'Late', items: ITEMS },
      { token: w.researcher.accessToken },
    );
    expect(more.status).toBe(409);
  });
});
