import { registerUser, type TestUser } from '@kinship/testing';
import {
  consent,
  download,
  exportStudy,
  flushReads,
  member,
  openStudy,
  parseCsv,
  type ResearchWorld,
  startResearch,
} from './research-fixtures';

const K = 4;
const CSV_FILES = ['participants.csv', 'events.csv', 'surveys.csv', 'codebook.json'];
const ITEMS = [
  { key: 'informed', text: 'I feel well informed.', min: 1, max: 5 },
  { key: 'confident', text: 'I feel confident with my physician.', min: 1, max: 5 },
];

/**
 * The anonymised export end to end: a study over two groups with k = 4. Group A has four
 * consenting members and its moderator (also consenting: alone with that role, suppressed);
 * group B one consenting member besides the moderator (too few: suppressed); a member of A
 * withdrew before the export; another never consented. Everyone writes, reads and answers.
 */
describe('research: anonymised export', () => {
  let w: ResearchWorld;
  let studyId: string;
  let inA: TestUser[];
  let everyone: TestUser[];
  /** Every raw id that must never appear in an export: users, groups, threads, posts, messages. */
  const rawIds: string[] = [];
  let files: Map<string, string>;
  let exportId: string;

  const thread = async (user: TestUser, groupId: string) => {
    const res = await w.t.post(
      `/groups/${groupId}/threads`,
      { title: 'How do you cope with fatigue?', body: 'Some days are long.' },
      { token: user.accessToken },
    );
    if (res.status !== 201) throw new Error(`thread: ${res.status} ${res.text}`);
    rawIds.push(res.body.id, res.body.firstPost.id);
    return res.body as { id: string; firstPost: { id: string } };
  };

  beforeAll(async () => {
    w = await startResearch();
    const { t, groupA, groupB, groupOwner } = w;
    studyId = (await openStudy(w, [groupA.id, groupB.id], { kAnonymity: K })).id;
    inA = [];
    for (let i = 0; i < 4; i++) inA.push(await member(w, [groupA]));
    const loneB = await member(w, [groupB]);
    const withdrawn = await member(w, [groupA]);
    const bystander = await member(w, [groupA]);
    everyone = [
      ...inA,
      loneB,
      withdrawn,
      bystander,
      groupOwner,
      w.researcher,
      w.admin,
      w.otherResearcher,
    ];
    for (const user of [...inA, loneB, withdrawn, groupOwner]) await consent(w, user, studyId);

    const survey = await t.post(
      `/research/studies/${studyId}/surveys`,
      { title: 'Empowerment', wave: 'baseline', items: ITEMS },
      { token: w.researcher.accessToken },
    );
    for (const [i, user] of [inA[0], inA[1], loneB, withdrawn].entries()) {
      const res = await t.post(
        `/research/surveys/${survey.body.id}/responses`,
        { answers: { informed: 1 + i, confident: 5 - i } },
        { token: user.accessToken },
      );
      if (res.status !== 201) throw new Error(`answer: ${res.status} ${res.text}`);
    }

    const first = await thread(inA[0], groupA.id);
    const reply = await t.post(
      `/threads/${first.id}/posts`,
      { body: 'Same here.' },
      { token: inA[1].accessToken },
    );
    rawIds.push(reply.body.id);
    await t.post(
      `/posts/${reply.body.id}/reactions`,
      { kind: 'hug' },
      { token: inA[2].accessToken },
    );
    await t.get(`/threads/${first.id}/posts`, { token: inA[3].accessToken });
    const message = await t.post(
      `/groups/${groupA.id}/messages`,
      { clientMsgId: crypto.randomUUID(), body: 'Hello all' },
      { token: inA[0].accessToken },
    );
    rawIds.push(message.body.id);
    await thread(withdrawn, groupA.id);
    await thread(bystander, groupA.id);
    await thread(loneB, groupB.id);
    await thread(groupOwner, groupA.id);
    await consent(w, withdrawn, studyId, false);
    await flushReads();

    rawIds.push(groupA.id, groupB.id, w.privateGroup.id, survey.body.id);
    const done = await exportStudy(w, studyId);
    expect(done.status).toBe('ready');
    exportId = done.id;
    files = await download(w, exportId, CSV_FILES);
  });
  afterAll(async () => {
    await w?.stop();
  });

  const participantsOf = (text: string) => new Set(parseCsv(text).rows.map((r) => r.participant));

  it('answers 202, then lists participants, events, surveys and the codebook with rows and bytes', async () => {
    const got = await w.t.get(`/research/exports/${exportId}`, { token: w.researcher.accessToken });
    expect(got.body).toMatchObject({ status: 'ready', format: 'csv', studyId, error: null });
    expect(got.body.files.map((f: { name: string }) => f.name)).toEqual(CSV_FILES);
    for (const f of got.body.files) expect(f.bytes).toBe(Buffer.byteLength(files.get(f.name)!));
    expect(Date.parse(got.body.expiresAt)).toBeGreaterThan(Date.now());
    const file = await w.t.get(`/research/exports/${exportId}/files/events.csv`, {
      token: w.researcher.accessToken,
    });
    expect(file.headers.get('content-type')).toContain('text/csv');
    expect(file.headers.get('content-disposition')).toContain('attachment');
  });

  it('the request and every download are in the audit log, for admins only', async () => {
    const audit = await w.t.get(`/moderation/audit?targetId=${exportId}&limit=100`, {
      token: w.admin.accessToken,
    });
    expect(audit.status).toBe(200);
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toContain('research.export');
    expect(actions).toContain('research.export.download');
    const requested = audit.body.items.find(
      (e: { action: string }) => e.action === 'research.export',
    );
    expect(requested).toMatchObject({ actor: { id: w.researcher.id }, groupId: null });
    expect((await w.t.get('/moderation/audit', { token: w.researcher.accessToken })).status).toBe(
      403,
    );
  });

  it('participants.csv: the four members of G01, pseudonymous and generalised; suppressed and withdrawn rows absent', () => {
    const { header, rows } = parseCsv(files.get('participants.csv')!);
    expect(header).toEqual([
      'participant',
      'group',
      'condition',
      'role',
      'join_period',
      'consent_period',
      'consent_version',
      'class',
      'tier',
      'contributions',
      'threads',
      'posts',
      'chat_messages',
      'reads',
      'reactions',
      'delurked',
    ]);
    expect(rows).toHaveLength(4);
    // Engagement's classification of each member in the group, over the study's window.
    for (const r of rows) {
      expect(['poster', 'lurker', 'inactive']).toContain(r.class);
      expect(Number(r.contributions)).toBe(
        Number(r.threads) + Number(r.posts) + Number(r.chat_messages),
      );
      expect(r.class === 'poster').toBe(Number(r.contributions) >= 1);
    }
    expect(rows.some((r) => r.class === 'poster')).toBe(true);
    expect(new Set(rows.map((r) => r.participant)).size).toBe(4);
    const month = new Date().toISOString().slice(0, 7);
    for (const r of rows) {
      expect(r.participant).toMatch(/^[0-9a-f]{32}$/);
      expect(r).toMatchObject({
        group: 'G01',
        condition: 'Type 1 diabetes',
        role: 'member',
        join_period: month,
        consent_period: '0..6',
        consent_version: '2026-1',
      });
    }
  });

  it('events.csv: the participants’ events in their kept groups, as days since the start', () => {
    const { header, rows } = parseCsv(files.get('events.csv')!);
    expect(header).toEqual(['participant', 'group', 'kind', 'day', 'object']);
    const kept = participantsOf(files.get('participants.csv')!);
    for (const r of rows) {
      expect(kept.has(r.participant)).toBe(true);
      expect(r.day).toBe('1');
      expect(r.object).toMatch(/^([0-9a-f]{32})?$/);
      expect(r.group).toBe(r.kind === 'visit' ? '' : 'G01');
    }
    const kinds = rows.map((r) => r.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'group_joined',
        'thread_created',
        'post_created',
        'reaction_given',
        'thread_read',
        'chat_message_sent',
        'visit',
      ]),
    );
    // Only inA[0]'s thread: the withdrawn member's, the bystander's, B's and the moderator's are out.
    expect(kinds.filter((k) => k === 'thread_created')).toHaveLength(1);
    expect(rows.filter((r) => r.kind === 'group_joined')).toHaveLength(4);
    const created = rows.find((r) => r.kind === 'thread_created')!;
    const read = rows.find((r) => r.kind === 'thread_read')!;
    expect(read.object).toBe(created.object); // the same thread, under the same study-local id
  });

  it('surveys.csv: one row per answered item of the kept participants', () => {
    const { header, rows } = parseCsv(files.get('surveys.csv')!);
    expect(header).toEqual(['participant', 'survey', 'wave', 'item', 'value', 'day']);
    expect(rows).toHaveLength(4);
    const kept = participantsOf(files.get('participants.csv')!);
    for (const r of rows) {
      expect(kept.has(r.participant)).toBe(true);
      expect(r).toMatchObject({ survey: 'S01', wave: 'baseline', day: '1' });
    }
    expect(rows.map((r) => `${r.item}=${r.value}`).sort()).toEqual(
      ['confident=4', 'confident=5', 'informed=1', 'informed=2'].sort(),
    );
  });

  it('no email, handle, user id, raw object id or clock time in any file', () => {
    const needles = [
      ...everyone.flatMap((u) => [u.email, u.handle, u.id, u.id.replace(/-/g, '')]),
      ...rawIds,
    ];
    expect(needles.length).toBeGreaterThan(40);
    for (const [name, text] of files) {
      const lower = text.toLowerCase();
      for (const needle of needles) {
        if (lower.includes(needle.toLowerCase())) throw new Error(`${name} contains ${needle}`);
      }
      expect(text).not.toMatch(/\d{2}:\d{2}/);
      expect(text).not.toMatch(/How do you cope|Some days|Same here|Hello all/);
    }
  });

  it('the codebook names every column of every file, with its type and meaning, and the parameters', () => {
    const codebook = JSON.parse(files.get('codebook.json')!);
    for (const name of ['participants.csv', 'events.csv', 'surveys.csv']) {
      const entry = codebook.files.find((f: { name: string }) => f.name === name);
      expect(entry.description).toEqual(expect.any(String));
      expect(entry.columns.map((c: { name: string }) => c.name)).toEqual(
        parseCsv(files.get(name)!).header,
      );
      for (const c of entry.columns) {
        expect(['string', 'integer']).toContain(c.type);
        expect(c.description.length).toBeGreaterThan(10);
      }
    }
    expect(codebook.files.map((f: { name: string }) => f.name)).toContain('codebook.json');
    expect(codebook.platform).toEqual({ name: 'Kinship', version: '0.1.0' });
    expect(codebook.parameters).toMatchObject({
      kAnonymity: K,
      posterMinContributions: 1,
      window: { kind: 'fixed', fromDay: 0, toDayExclusive: 61 },
    });
    expect(codebook.metrics.classification.poster).toContain('1 contribution');
    expect(codebook.consent.versions).toEqual(['2026-1']);
    expect(codebook.generated).toEqual({ date: new Date().toISOString().slice(0, 10), day: 1 });
    expect(codebook.suppressions.generalisations).toEqual([
      { column: 'role', level: 'role' },
      { column: 'join_period', level: 'month' },
      { column: 'consent_period', level: 'week' },
    ]);
    expect(codebook.surveys).toEqual([
      { code: 'S01', title: 'Empowerment', wave: 'baseline', items: ITEMS },
    ]);
  });

  it(`k suppression: no people count from 1 to k-1 anywhere`, () => {
    const codebook = JSON.parse(files.get('codebook.json')!);
    // Three rows were suppressed (the moderator in A, both rows of B): fewer than k, so null.
    expect(codebook.suppressions.suppressedRows).toBeNull();
    expect(codebook.summary).toEqual({
      participants: 4,
      groups: [
        { code: 'G01', condition: 'Type 1 diabetes', participants: 4 },
        { code: 'G02', condition: 'Crohn disease', participants: 0 },
      ],
    });
    const counts: unknown[] = [];
    const walk = (value: unknown, key = '') => {
      if (Array.isArray(value)) value.forEach((v) => walk(v, key));
      else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) walk(v, k);
      } else if (/participants|suppressed|count/i.test(key)) counts.push(value);
    };
    walk(codebook);
    expect(counts.length).toBeGreaterThan(3);
    for (const n of counts) {
      if (typeof n === 'number') expect(n === 0 || n >= K).toBe(true);
      else expect(n).toBeNull();
    }
    // Derived counts too: participants per group in the file.
    const perGroup = new Map<string, number>();
    for (const r of parseCsv(files.get('participants.csv')!).rows) {
      perGroup.set(r.group, (perGroup.get(r.group) ?? 0) + 1);
    }
    for (const n of perGroup.values()) expect(n).toBeGreaterThanOrEqual(K);
  });

  it('NDJSON twins hold the same rows under the same pseudonyms', async () => {
    const done = await exportStudy(w, studyId, 'ndjson');
    const names = ['participants.ndjson', 'events.ndjson', 'surveys.ndjson', 'codebook.json'];
    expect(done.files.map((f) => f.name)).toEqual(names);
    const twin = await download(w, done.id, names);
    const lines = (name: string) =>
      twin
        .get(name)!
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
    const people = lines('participants.ndjson');
    expect(new Set(people.map((p) => p.participant))).toEqual(
      participantsOf(files.get('participants.csv')!),
    );
    expect(Object.keys(people[0])).toEqual(parseCsv(files.get('participants.csv')!).header);
    const events = lines('events.ndjson');
    expect(events).toHaveLength(parseCsv(files.get('events.csv')!).rows.length);
    expect(typeof events[0].day).toBe('number');
    expect(events.find((e) => e.kind === 'visit')).toMatchObject({ group: null, object: null });
    expect(lines('surveys.ndjson')).toHaveLength(4);
  });

  it('only the owner requests and reads exports: everyone else gets 404', async () => {
    const bystander = await member(w, [w.groupA]);
    const outsider = await registerUser(w.t);
    for (const user of [w.admin, w.otherResearcher, inA[0], w.groupOwner, bystander, outsider]) {
      const token = user.accessToken;
      expect(
        (await w.t.post(`/research/studies/${studyId}/exports`, { format: 'csv' }, { token }))
          .status,
      ).toBe(404);
      expect((await w.t.get(`/research/studies/${studyId}/exports`, { token })).status).toBe(404);
      expect((await w.t.get(`/research/exports/${exportId}`, { token })).status).toBe(404);
      expect(
        (await w.t.get(`/research/exports/${exportId}/files/participants.csv`, { token })).status,
      ).toBe(404);
    }
    expect((await w.t.get(`/research/exports/${exportId}`)).status).toBe(401);
    const owner = w.researcher.accessToken;
    for (const name of [
      'passwd',
      '..%2Fcodebook.json',
      '..%2F..%2Fjwt-secret',
      'participants.ndjson',
    ]) {
      expect(
        (await w.t.get(`/research/exports/${exportId}/files/${name}`, { token: owner })).status,
      ).toBe(404);
    }
    const listed = await w.t.get(`/research/studies/${studyId}/exports`, { token: owner });
    expect(listed.body.items.map((e: { id: string }) => e.id)).toContain(exportId);
  });

  it('400 for an unknown format', async () => {
    const res = await w.t.post(
      `/research/studies/${studyId}/exports`,
      { format: 'xlsx' },
      { token: w.researcher.accessToken },
    );
    expect(res.status).toBe(400);
  });

  it('pseudonyms differ between studies; a withdrawn member is absent from every later export', async () => {
    const other = (await openStudy(w, [w.groupA.id], { kAnonymity: 2 })).id;
    for (const user of inA) await consent(w, user, other);
    const before = await exportStudy(w, other);
    const beforeFiles = await download(w, before.id, CSV_FILES);
    const here = participantsOf(beforeFiles.get('participants.csv')!);
    expect(here.size).toBe(4);
    for (const p of participantsOf(files.get('participants.csv')!)) expect(here.has(p)).toBe(false);

    const leaver = await member(w, [w.groupA]);
    await consent(w, leaver, other);
    await thread(leaver, w.groupA.id);
    const withLeaver = await download(w, (await exportStudy(w, other)).id, CSV_FILES);
    const added = [...participantsOf(withLeaver.get('participants.csv')!)].filter(
      (p) => !here.has(p),
    );
    expect(added).toHaveLength(1);
    const pseudonym = added[0];
    expect(withLeaver.get('events.csv')).toContain(pseudonym);

    await consent(w, leaver, other, false);
    const after = await download(w, (await exportStudy(w, other)).id, CSV_FILES);
    for (const [name, text] of after)
      expect({ name, has: text.includes(pseudonym) }).toEqual({ name, has: false });
    expect(participantsOf(after.get('participants.csv')!)).toEqual(here);
  });
});
