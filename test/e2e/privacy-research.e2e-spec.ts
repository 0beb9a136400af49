import type { TestUser } from '@kinship/testing';
import {
  consent,
  download,
  exportStudy,
  member,
  openStudy,
  parseCsv,
  type ResearchWorld,
  startResearch,
} from './research-fixtures';

/**
 * A member's research data is theirs too: consents and survey answers are in their data export,
 * and erasing the account withdraws every consent (no later export holds them) and deletes their
 * survey answers.
 */
describe('privacy: research data in the export and the erasure', () => {
  let w: ResearchWorld;
  let studyId: string;
  let surveyId: string;
  let leaving: TestUser;
  let staying: TestUser[];
  beforeAll(async () => {
    w = await startResearch();
    const study = await openStudy(w, [w.groupA.id], { kAnonymity: 2 });
    studyId = study.id;
    const survey = await w.t.post(
      `/research/studies/${studyId}/surveys`,
      {
        title: 'Baseline',
        items: [{ key: 'confidence', text: 'I feel confident', min: 1, max: 5 }],
      },
      { token: w.researcher.accessToken },
    );
    expect(survey.status).toBe(201);
    surveyId = survey.body.id;
    leaving = await member(w, [w.groupA]);
    staying = [await member(w, [w.groupA]), await member(w, [w.groupA])];
    for (const user of [leaving, ...staying]) {
      await consent(w, user, studyId);
      const posted = await w.t.post(
        `/groups/${w.groupA.id}/threads`,
        { title: 'Night sweats', body: 'Anyone else after the new dose?' },
        { token: user.accessToken },
      );
      expect(posted.status).toBe(201);
    }
    const answered = await w.t.post(
      `/research/surveys/${surveyId}/responses`,
      { answers: { confidence: 4 } },
      { token: leaving.accessToken },
    );
    expect(answered.status).toBe(201);
  });
  afterAll(async () => {
    await w?.stop();
  });

  const participantsInEvents = async () => {
    const done = await exportStudy(w, studyId);
    expect(done.status).toBe('ready');
    const files = await download(w, done.id, ['events.csv']);
    return new Set(parseCsv(files.get('events.csv')!).rows.map((r) => r.participant));
  };

  it('GET /me/data holds the consents and the survey answers', async () => {
    const res = await w.t.get('/me/data', { token: leaving.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.researchConsents).toEqual([
      expect.objectContaining({ studyId, granted: true, consentVersion: expect.any(String) }),
    ]);
    expect(res.body.surveyAnswers).toEqual([
      expect.objectContaining({ studyId, answers: { confidence: 4 }, surveyTitle: 'Baseline' }),
    ]);
  });

  it('erasure withdraws every consent and deletes the answers: later exports leave them out', async () => {
    const before = await participantsInEvents();
    expect(before.size).toBe(3);
    const erased = await w.t.request('DELETE', '/me', {
      token: leaving.accessToken,
      body: { password: leaving.password },
    });
    expect(erased.status).toBe(204);
    const after = await participantsInEvents();
    expect(after.size).toBe(2);
    for (const p of after) expect(before.has(p)).toBe(true);

    const done = await exportStudy(w, studyId);
    const surveys = await download(w, done.id, ['surveys.csv']);
    expect(parseCsv(surveys.get('surveys.csv')!).rows.filter((r) => r.participant)).toEqual([]);
  });
});
