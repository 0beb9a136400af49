import { randomBytes, randomUUID } from 'node:crypto';
import { kAnonymise, peopleCount, type QiRow } from './k-anonymity';
import { CONSENT_PERIOD, GROUP_ROLE, JOIN_PERIOD, SUPPRESSED } from './periods';
import { Pseudonymiser } from './pseudonymiser';
import { answerProblems, itemProblems } from './survey-rules';
import { dayOf, studyWindow } from './study-window';

const QIS = [GROUP_ROLE, JOIN_PERIOD, CONSENT_PERIOD];

/** Every combination of fixed column and quasi-identifiers among the kept rows has >= k rows. */
function smallestCombination(kept: { values: QiRow }[]): number {
  const counts = new Map<string, number>();
  for (const { values } of kept) {
    const key = ['group', 'role', 'join_period', 'consent_period'].map((c) => values[c]).join('|');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Math.min(...counts.values());
}

function row(group: string, role: string, month: string, consentDay: number): QiRow {
  return { group, role, join_period: month, consent_period: String(consentDay) };
}

describe('generalisation ladders', () => {
  it('join period: month, quarter, year, suppressed', () => {
    expect([0, 1, 2, 3].map((l) => JOIN_PERIOD.generalise('2026-05', l))).toEqual([
      '2026-05',
      '2026-Q2',
      '2026',
      SUPPRESSED,
    ]);
  });

  it('consent period: week, four weeks, suppressed (negative days before the start)', () => {
    expect(CONSENT_PERIOD.generalise('9', 0)).toBe('7..13');
    expect(CONSENT_PERIOD.generalise('-3', 0)).toBe('-7..-1');
    expect(CONSENT_PERIOD.generalise('30', 1)).toBe('28..55');
    expect(CONSENT_PERIOD.generalise('30', 2)).toBe(SUPPRESSED);
  });

  it('role: kept, then suppressed', () => {
    expect(GROUP_ROLE.generalise('moderator', 0)).toBe('moderator');
    expect(GROUP_ROLE.generalise('moderator', 1)).toBe(SUPPRESSED);
  });
});

describe('kAnonymise', () => {
  it('keeps a table that is already k-anonymous as it is', () => {
    const rows = [1, 2, 3].map(() => row('G01', 'member', '2026-01', 2));
    const result = kAnonymise(rows, ['group'], QIS, 3);
    expect(result.kept.map((r) => r.values)).toEqual(
      rows.map(() => ({
        group: 'G01',
        role: 'member',
        join_period: '2026-01',
        consent_period: '0..6',
      })),
    );
    expect(result.generalisations.map((g) => g.level)).toEqual([0, 0, 0]);
    expect(result.suppressed).toEqual([]);
  });

  it('generalises join months to quarters before suppressing anyone', () => {
    const rows = ['2026-01', '2026-02', '2026-03', '2026-01', '2026-02', '2026-03'].map((m) =>
      row('G01', 'member', m, 1),
    );
    const result = kAnonymise(rows, ['group'], QIS, 3);
    expect(result.suppressed).toEqual([]);
    expect(result.kept.every((r) => r.values.join_period === '2026-Q1')).toBe(true);
    expect(result.generalisations.find((g) => g.column === 'join_period')?.levelName).toBe(
      'quarter',
    );
  });

  it('removes every row of a group with fewer than k people', () => {
    const rows = [
      ...[1, 2, 3].map(() => row('G01', 'member', '2026-01', 0)),
      row('G02', 'member', '2026-01', 0),
      row('G02', 'member', '2026-01', 0),
    ];
    const result = kAnonymise(rows, ['group'], QIS, 3);
    expect(result.suppressed).toEqual([3, 4]);
    expect(result.suppressedSmallStrata).toBe(2);
  });

  it('suppresses a lone outlier rather than generalising everyone', () => {
    const rows = [
      ...Array.from({ length: 10 }, () => row('G01', 'member', '2026-01', 3)),
      row('G01', 'moderator', '2025-07', 40),
    ];
    const result = kAnonymise(rows, ['group'], QIS, 5);
    expect(result.suppressed).toEqual([10]);
    expect(result.suppressedRare).toBe(1);
    expect(result.generalisations.map((g) => g.level)).toEqual([0, 0, 0]);
  });

  it.each([2, 3, 5, 10])('leaves no combination under k=%i on random tables', (k) => {
    let seed = k * 7919;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let run = 0; run < 20; run++) {
      const rows = Array.from({ length: 5 + rand(200) }, () =>
        row(
          `G0${1 + rand(3)}`,
          rand(10) === 0 ? 'moderator' : 'member',
          `202${5 + rand(2)}-0${1 + rand(9)}`,
          rand(120) - 10,
        ),
      );
      const result = kAnonymise(rows, ['group'], QIS, k);
      if (result.kept.length) expect(smallestCombination(result.kept)).toBeGreaterThanOrEqual(k);
      expect(result.kept.length + result.suppressed.length).toBe(rows.length);
      expect(result.suppressedRare).toBeLessThanOrEqual(k);
    }
  });

  it('refuses k below 2', () => {
    expect(() => kAnonymise([], ['group'], QIS, 1)).toThrow();
  });
});

describe('peopleCount', () => {
  it('is null from 1 to k-1, the number otherwise', () => {
    expect([0, 1, 4, 5, 6].map((n) => peopleCount(n, 5))).toEqual([0, null, null, 5, 6]);
  });
});

describe('Pseudonymiser', () => {
  it('is stable within a study, different across studies, and never the id', () => {
    const id = randomUUID();
    const a = new Pseudonymiser(randomBytes(32));
    const b = new Pseudonymiser(randomBytes(32));
    expect(a.participant(id)).toBe(a.participant(id));
    expect(a.participant(id)).toMatch(/^[0-9a-f]{32}$/);
    expect(a.participant(id)).not.toBe(b.participant(id));
    expect(a.participant(id)).not.toContain(id.replace(/-/g, '').slice(0, 12));
    expect(a.object(id)).not.toBe(a.participant(id));
  });

  it('matches HMAC-SHA-256 of the user id', async () => {
    const { createHmac } = await import('node:crypto');
    const secret = randomBytes(32);
    const id = randomUUID();
    expect(new Pseudonymiser(secret).participant(id)).toBe(
      createHmac('sha256', secret).update(id).digest('hex').slice(0, 32),
    );
  });
});

describe('survey rules', () => {
  const items = [
    { key: 'informed', text: 'I feel informed', min: 1, max: 5 },
    { key: 'confident', text: 'I feel confident', min: 0, max: 10 },
  ];

  it('accepts every item answered within range', () => {
    expect(answerProblems(items, { informed: 5, confident: 0 })).toEqual([]);
  });

  it('names missing, out-of-range, non-integer and unknown answers', () => {
    const fields = answerProblems(items, { informed: 6, extra: 1 }).map((e) => e.field);
    expect(fields).toEqual(['answers.informed', 'answers.confident', 'answers.extra']);
    expect(answerProblems(items, { informed: 2.5, confident: '3' })).toHaveLength(2);
  });

  it('refuses duplicate keys and empty ranges', () => {
    expect(
      itemProblems([items[0], { ...items[0] }, { key: 'x', text: 'x', min: 3, max: 3 }]).map(
        (e) => e.field,
      ),
    ).toEqual(['items.1.key', 'items.2.max']);
  });
});

describe('studyWindow', () => {
  const startsAt = new Date('2026-01-01T00:00:00Z');
  const endsAt = new Date('2026-12-31T00:00:00Z');

  it('fixed: the study period', () => {
    expect(studyWindow({ startsAt, endsAt, windowKind: 'fixed' }, new Date('2026-03-01'))).toEqual({
      kind: 'fixed',
      from: startsAt,
      to: endsAt,
    });
  });

  it('rolling: the last 12 weeks up to now, within the study', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const w = studyWindow({ startsAt, endsAt, windowKind: 'rolling_12_weeks' }, now);
    expect(w.to).toEqual(now);
    expect((w.to.getTime() - w.from.getTime()) / 86_400_000).toBe(84);
    const early = studyWindow(
      { startsAt, endsAt, windowKind: 'rolling_12_weeks' },
      new Date('2026-01-10'),
    );
    expect(early.from).toEqual(startsAt);
  });

  it('days are whole days since the start', () => {
    expect(dayOf(startsAt.getTime(), startsAt.getTime())).toBe(0);
    expect(dayOf(startsAt.getTime() + 86_399_999, startsAt.getTime())).toBe(0);
    expect(dayOf(startsAt.getTime() - 1, startsAt.getTime())).toBe(-1);
  });
});
