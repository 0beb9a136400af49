import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngagementEventReader } from '@kinship/engagement';
import { DataFileWriter } from './data-file.writer';

describe('DataFileWriter', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kinship-writer-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('CSV: header, quoted labels, empty cells for null and empty', async () => {
    const w = DataFileWriter.open(dir, 'participants', 'csv', ['participant', 'condition', 'n']);
    await w.write([
      ['ab12', 'Crohn, "ileal"', 3],
      ['cd34', null, ''],
    ]);
    expect(await w.close()).toEqual({
      name: 'participants.csv',
      rows: 2,
      bytes: expect.any(Number),
    });
    expect(readFileSync(join(dir, 'participants.csv'), 'utf8')).toBe(
      'participant,condition,n\nab12,"Crohn, ""ileal""",3\ncd34,,\n',
    );
  });

  it('a file without rows still has its header', async () => {
    const w = DataFileWriter.open(dir, 'surveys', 'csv', ['participant', 'value']);
    expect((await w.close()).rows).toBe(0);
    expect(readFileSync(join(dir, 'surveys.csv'), 'utf8')).toBe('participant,value\n');
  });

  it('NDJSON: one object per line, numbers as numbers, empty as null, text escaped', async () => {
    const w = DataFileWriter.open(dir, 'events', 'ndjson', ['participant', 'group', 'day']);
    await w.write([
      ['ab12', '', 4],
      ['cd34', 'G"01', -1],
    ]);
    await w.close();
    const lines = readFileSync(join(dir, 'events.ndjson'), 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { participant: 'ab12', group: null, day: 4 },
      { participant: 'cd34', group: 'G"01', day: -1 },
    ]);
  });

  it('plain files are joined as they are, in both formats', async () => {
    const csv = DataFileWriter.open(dir, 'events', 'csv', ['participant', 'kind', 'day'], {
      plain: true,
    });
    await csv.write([
      ['ab12', 'thread_read', 0],
      ['cd34', 'visit', 12],
    ]);
    await csv.close();
    expect(readFileSync(join(dir, 'events.csv'), 'utf8')).toBe(
      'participant,kind,day\nab12,thread_read,0\ncd34,visit,12\n',
    );
    const nd = DataFileWriter.open(dir, 'events', 'ndjson', ['participant', 'object'], {
      plain: true,
    });
    await nd.write([['ab12', '']]);
    await nd.close();
    expect(JSON.parse(readFileSync(join(dir, 'events.ndjson'), 'utf8'))).toEqual({
      participant: 'ab12',
      object: null,
    });
  });
});

describe('EngagementEventReader.inlined', () => {
  const query = {
    groupIds: ['6f1c1a9e-2b7a-4c1e-9d51-0a3f6f1f1f1f'],
    userIds: ['0b6c3a2e-1111-4c1e-9d51-0a3f6f1f1f1f'],
    from: new Date('2026-01-01T00:00:00Z'),
    to: new Date('2026-02-01T00:00:00Z'),
    includeVisits: true,
  };

  it('writes the parameters in as typed literals', () => {
    const sql = EngagementEventReader.inlined(query);
    expect(sql).not.toMatch(/\$\d/);
    expect(sql).toContain("ARRAY['0b6c3a2e-1111-4c1e-9d51-0a3f6f1f1f1f']::uuid[]");
    expect(sql).toContain("'2026-01-01T00:00:00.000Z'::timestamptz");
  });

  it('refuses anything but UUIDs (no injection through COPY)', () => {
    expect(() =>
      EngagementEventReader.inlined({ ...query, userIds: ["x']::uuid[]; DROP TABLE users; --"] }),
    ).toThrow();
  });
});
