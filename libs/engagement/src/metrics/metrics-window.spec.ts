import { windowDays } from './metrics-window';

const at = (iso: string) => new Date(iso);

describe('windowDays: whole days from the roll-ups, partial days from the log', () => {
  it('a window on midnights is all whole days', () => {
    const w = windowDays(at('2026-03-01T00:00:00Z'), at('2026-03-29T00:00:00Z'));
    expect(w).toEqual({
      dayLo: '2026-03-01',
      dayHi: '2026-03-29',
      fullLo: at('2026-03-01T00:00:00Z'),
      fullHi: at('2026-03-29T00:00:00Z'),
      weeks: 4,
    });
  });

  it('a window cutting days keeps the partial first and last days out of the whole days', () => {
    const w = windowDays(at('2026-03-01T07:30:00Z'), at('2026-03-10T18:00:00.001Z'));
    expect(w.dayLo).toBe('2026-03-02');
    expect(w.dayHi).toBe('2026-03-10');
    expect(w.fullLo).toEqual(at('2026-03-02T00:00:00Z'));
    expect(w.fullHi).toEqual(at('2026-03-10T00:00:00Z'));
    // From the midnight of 1 March to 10 March 18:00: one whole week.
    expect(w.weeks).toBe(1);
  });

  it('a window inside one day, or across one midnight only, has no whole day', () => {
    for (const [from, to] of [
      ['2026-03-01T07:00:00Z', '2026-03-01T09:00:00Z'],
      ['2026-03-01T07:00:00Z', '2026-03-02T09:00:00Z'],
    ]) {
      const w = windowDays(at(from), at(to));
      expect(w.dayLo).toBe(w.dayHi);
      expect(w.fullLo).toEqual(at(to));
      expect(w.fullHi).toEqual(at(to));
      expect(w.weeks).toBe(0);
    }
  });

  it('a window from midnight to midnight of the next day is one whole day', () => {
    const w = windowDays(at('2026-03-01T00:00:00Z'), at('2026-03-02T00:00:00Z'));
    expect([w.dayLo, w.dayHi]).toEqual(['2026-03-01', '2026-03-02']);
  });
});
