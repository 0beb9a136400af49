import {
  PersonalDataRegistry,
  type PersonalDataSource,
  streamPages,
} from './personal-data.registry';

const source = (section: string, rank?: number): PersonalDataSource => ({
  section,
  rank,
  export: async () => null,
  erase: async () => undefined,
});

describe('PersonalDataRegistry', () => {
  it('orders sections by rank then name for the export, and the other way round for erasure', () => {
    const registry = new PersonalDataRegistry();
    for (const s of [
      source('posts', 21),
      source('consents'),
      source('profile', 0),
      source('audit'),
    ]) {
      registry.register(s);
    }
    expect(registry.inExportOrder().map((s) => s.section)).toEqual([
      'profile',
      'posts',
      'audit',
      'consents',
    ]);
    expect(registry.inErasureOrder().map((s) => s.section)).toEqual([
      'consents',
      'audit',
      'posts',
      'profile',
    ]);
  });

  it('refuses a section registered twice', () => {
    const registry = new PersonalDataRegistry();
    registry.register(source('posts'));
    expect(() => registry.register(source('posts'))).toThrow(/twice/);
  });
});

describe('streamPages', () => {
  it('reads page after page from the last row, and stops at a short page', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ n: i }));
    const asked: (number | undefined)[] = [];
    const out: number[] = [];
    const pages = streamPages<{ n: number }>(async (after, size) => {
      asked.push(after?.n);
      const from = after ? after.n + 1 : 0;
      return rows.slice(from, from + size);
    }, 3);
    for await (const r of pages) out.push(r.n);
    expect(out).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(asked).toEqual([undefined, 2, 5]);
  });

  it('asks once more after an exactly full last page', async () => {
    let calls = 0;
    const pages = streamPages<{ n: number }>(async (after) => {
      calls++;
      return after ? [] : [{ n: 0 }, { n: 1 }];
    }, 2);
    const out = [];
    for await (const r of pages) out.push(r);
    expect(out).toHaveLength(2);
    expect(calls).toBe(2);
  });
});
