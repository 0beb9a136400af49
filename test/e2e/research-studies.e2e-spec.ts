import { registerUser } from '@kinship/testing';
import {
  consent,
  member,
  openStudy,
  type ResearchWorld,
  startResearch,
  studyInput,
} from './research-fixtures';

const UNKNOWN_ID = '6f1c1a9e-2b7a-4c1e-9d51-0a3f6f1f1f1f';

describe('research: studies', () => {
  let w: ResearchWorld;
  beforeAll(async () => {
    w = await startResearch();
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('a researcher creates a draft with the defaults; the secret is never answered', async () => {
    const { t, researcher, groupA, groupB } = w;
    const res = await t.post(
      '/research/studies',
      studyInput([groupA.id, groupB.id], { consentText: undefined, consentVersion: undefined }),
      { token: researcher.accessToken },
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'draft',
      kAnonymity: 5,
      posterMinContributions: 1,
      window: 'fixed',
      consentVersion: '1',
      consentText: studyInput([]).description,
      isOwner: true,
      consent: null,
      groups: [
        { code: 'G01', condition: 'Type 1 diabetes', groupId: groupA.id },
        { code: 'G02', condition: 'Crohn disease', groupId: groupB.id },
      ],
    });
    expect(res.text).not.toMatch(/secret|pseudonym/i);
    const got = await t.get(`/research/studies/${res.body.id}`, { token: researcher.accessToken });
    expect(got.status).toBe(200);
    expect(got.text).not.toMatch(/secret|pseudonym/i);
  });

  it('takes a rolling window, k and the poster threshold', async () => {
    const res = await w.t.post(
      '/research/studies',
      studyInput([w.groupA.id], {
        window: 'rolling_12_weeks',
        kAnonymity: 10,
        posterMinContributions: 4,
      }),
      { token: w.researcher.accessToken },
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      window: 'rolling_12_weeks',
      kAnonymity: 10,
      posterMinContributions: 4,
    });
  });

  it.each([
    [
      'endsAt before startsAt',
      { endsAt: new Date(Date.now() - 3 * 86_400_000).toISOString() },
      'endsAt',
    ],
    [
      'endsAt equal to startsAt',
      { endsAt: '2026-01-01T00:00:00.000Z', startsAt: '2026-01-01T00:00:00.000Z' },
      'endsAt',
    ],
    ['k of 1', { kAnonymity: 1 }, 'kAnonymity'],
    ['k not an integer', { kAnonymity: 2.5 }, 'kAnonymity'],
    ['k as text', { kAnonymity: '5' }, 'kAnonymity'],
    ['poster threshold 0', { posterMinContributions: 0 }, 'posterMinContributions'],
    ['an unknown window', { window: 'weekly' }, 'window'],
    ['no groups', { groupIds: [] }, 'groupIds'],
    ['a malformed group id', { groupIds: ['nope'] }, 'groupIds'],
    ['a malformed time', { startsAt: 'yesterday' }, 'startsAt'],
    ['a bad consent version', { consentVersion: 'v 1/2' }, 'consentVersion'],
    ['no title', { title: '' }, 'title'],
    ['an unknown field', { secret: 'x' }, 'secret'],
  ])('400 for %s', async (_, overrides, field) => {
    const res = await w.t.post('/research/studies', studyInput([w.groupA.id], overrides), {
      token: w.researcher.accessToken,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field.split('.')[0])).toContain(field);
  });

  it('400 for unknown, repeated and invisible groups, naming each, the same for all', async () => {
    const { t, researcher, groupA, privateGroup } = w;
    const res = await t.post(
      '/research/studies',
      studyInput([groupA.id, UNKNOWN_ID, groupA.id, privateGroup.id]),
      { token: researcher.accessToken },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'groupIds.1', message: 'is not a group you can see' },
      { field: 'groupIds.2', message: 'repeats a group' },
      { field: 'groupIds.3', message: 'is not a group you can see' },
    ]);
  });

  it('only researchers (and admins) create studies', async () => {
    const someone = await registerUser(w.t);
    const res = await w.t.post('/research/studies', studyInput([w.groupA.id]), {
      token: someone.accessToken,
    });
    expect(res.status).toBe(403);
    expect((await w.t.post('/research/studies', studyInput([w.groupA.id]))).status).toBe(401);
  });

  it('a draft is visible to its owner and admins only; approval opens it to members', async () => {
    const { t, researcher, otherResearcher, admin, groupA } = w;
    const inGroup = await member(w, [groupA]);
    const draft = await t.post('/research/studies', studyInput([groupA.id]), {
      token: researcher.accessToken,
    });
    const path = `/research/studies/${draft.body.id}`;
    expect((await t.get(path, { token: researcher.accessToken })).status).toBe(200);
    expect((await t.get(path, { token: admin.accessToken })).status).toBe(200);
    expect((await t.get(path, { token: otherResearcher.accessToken })).status).toBe(404);
    expect((await t.get(path, { token: inGroup.accessToken })).status).toBe(404);

    // Approval is the admins'.
    expect(
      (await t.post(`${path}/approve`, undefined, { token: researcher.accessToken })).status,
    ).toBe(403);
    const approved = await t.post(`${path}/approve`, undefined, { token: admin.accessToken });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('open');
    expect(approved.body.approvedAt).toEqual(expect.any(String));
    const again = await t.post(`${path}/approve`, undefined, { token: admin.accessToken });
    expect(again.status).toBe(409);
    expect(
      (
        await t.post(`/research/studies/${UNKNOWN_ID}/approve`, undefined, {
          token: admin.accessToken,
        })
      ).status,
    ).toBe(404);

    const seen = await t.get(path, { token: inGroup.accessToken });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ status: 'open', isOwner: false, consent: null });
    expect((await t.get(path, { token: otherResearcher.accessToken })).status).toBe(404);
    const outsider = await registerUser(t);
    expect((await t.get(path, { token: outsider.accessToken })).status).toBe(404);
  });

  it('members see group ids only of their own groups', async () => {
    const { t, groupA, groupB } = w;
    const study = await openStudy(w, [groupA.id, groupB.id]);
    const inA = await member(w, [groupA]);
    const res = await t.get(`/research/studies/${study.id}`, { token: inA.accessToken });
    expect(res.body.groups).toEqual([
      { code: 'G01', condition: 'Type 1 diabetes', groupId: groupA.id },
      { code: 'G02', condition: 'Crohn disease' },
    ]);
  });

  it('lists: researchers their own, admins all, members the open studies of their groups with their consent', async () => {
    const { t, researcher, otherResearcher, admin, groupA, groupB } = w;
    const mine = await openStudy(w, [groupA.id]);
    const theirs = await openStudy(w, [groupB.id], {}, otherResearcher);
    const draft = await t.post('/research/studies', studyInput([groupA.id]), {
      token: researcher.accessToken,
    });
    const inA = await member(w, [groupA]);
    await consent(w, inA, mine.id);

    const ids = async (token: string) => {
      const all: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.get(
          `/research/studies?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          { token },
        );
        all.push(...page.body.items.map((s) => s.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      return all;
    };
    const own = await ids(researcher.accessToken);
    expect(own).toEqual(expect.arrayContaining([mine.id, draft.body.id]));
    expect(own).not.toContain(theirs.id);
    expect(await ids(admin.accessToken)).toEqual(
      expect.arrayContaining([mine.id, theirs.id, draft.body.id]),
    );
    const visible = await ids(inA.accessToken);
    expect(visible).toContain(mine.id);
    expect(visible).not.toContain(theirs.id);
    expect(visible).not.toContain(draft.body.id);
    const listed = await t.get('/research/studies?limit=100', { token: inA.accessToken });
    expect(listed.body.items.find((s: { id: string }) => s.id === mine.id).consent).toMatchObject({
      granted: true,
      consentVersion: '2026-1',
    });
    const outsider = await registerUser(t);
    expect((await t.get('/research/studies', { token: outsider.accessToken })).body).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('the owner or an admin closes an open study, once; members cannot', async () => {
    const { t, researcher, groupA } = w;
    const study = await openStudy(w, [groupA.id]);
    const inA = await member(w, [groupA]);
    const path = `/research/studies/${study.id}/close`;
    expect((await t.post(path, undefined, { token: inA.accessToken })).status).toBe(404);
    const closed = await t.post(path, undefined, { token: researcher.accessToken });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect((await t.post(path, undefined, { token: researcher.accessToken })).status).toBe(409);
    // A closed study is no longer shown to members who never took part.
    expect((await t.get(`/research/studies/${study.id}`, { token: inA.accessToken })).status).toBe(
      404,
    );
  });

  it('malformed ids are 400', async () => {
    const res = await w.t.get('/research/studies/nope', { token: w.researcher.accessToken });
    expect(res.status).toBe(400);
  });
});
