import fc from 'fast-check';
import { normalise } from './normalise';
import { regexProblem } from './regex-safety';
import { compileRule, matchRules, prepare } from './rule-matcher';
import { decide } from './screening.types';

const rule = (pattern: string, matchType: 'word' | 'phrase' | 'regex' = 'phrase') =>
  compileRule({ id: 'r1', pattern, matchType, action: 'block', category: 'misinformation' });

describe('normalise', () => {
  it('folds case, strips invisibles and controls, undoes homoglyphs and leet', () => {
    expect(normalise('MIRA\u200BCLE\u0007 Cure').text).toBe('miracle cure');
    expect(normalise('mіrасlе').text).toBe('miracle'); // Cyrillic і, а, с, е
    expect(normalise('ｍｉｒａｃｌｅ').text).toBe('miracle'); // full width (NFKC)
    expect(normalise('m1r4cl3 cur3').variants).toContain('miracle cure');
    expect(normalise('m i r a c l e cure').variants).toContain('miracle cure');
    expect(normalise('call 07911 123456').variants[0]).toContain('07911 123456');
  });

  it('gives plain ASCII, on its fast path, what the whole folding gives', () => {
    // A zero-width space takes the text off the fast path and is then removed by the folding.
    const ascii = fc.string({
      unit: fc.constantFrom(..." \t\r\nAaZz09!?.,-_@$|'1345", ...'Miracle CURE m i r a c l e'),
      maxLength: 60,
    });
    fc.assert(
      fc.property(ascii, (text) => {
        expect(normalise(text)).toEqual(normalise(`${text}\u200B`));
      }),
      { numRuns: 500 },
    );
  });
});

describe('rules', () => {
  it('match phrases through evasions, on word boundaries', () => {
    const r = rule('miracle cure');
    for (const text of [
      'Try this MIRACLE CURE now',
      'a mir\u200Bacle c\u200Dure',
      'a mіrасlе cure', // homoglyphs
      'm i r a c l e  c u r e',
      'm i r a c l e c u r e',
      'm1racle cur3',
      'M!racle Cure',
    ]) {
      expect([text, matchRules([r], prepare(text)).length]).toEqual([text, 1]);
    }
    expect(matchRules([r], prepare('miracles cured nobody')).length).toBe(0);
    expect(matchRules([rule('cure', 'word')], prepare('secure')).length).toBe(0);
  });

  it('regex rules match per line, case-insensitively', () => {
    const r = rule('buy\\s+now', 'regex');
    expect(matchRules([r], prepare('Hello\nBUY  now')).length).toBe(1);
  });

  it('refuses catastrophic, invalid and long regexes', () => {
    for (const p of ['(a+)+$', '(x|x)*y', '(a|ab)*c', '(a*)*b', '([a-z]+)*$', '(?:a|a)+']) {
      expect([p, regexProblem(p)]).toEqual([p, expect.any(String)]);
    }
    expect(regexProblem('[unclosed')).toMatch(/valid/);
    expect(regexProblem('a'.repeat(201))).toMatch(/200/);
    for (const p of [
      'buy\\s+now',
      'miracle\\s*cure',
      '(cure|remedy)\\b',
      '(cat|dog)+',
      '\\d{3}-\\d{4}',
    ]) {
      expect([p, regexProblem(p)]).toEqual([p, undefined]);
    }
  });

  it('decides block > hold > flag > publish, most urgent first', () => {
    const d = decide([
      { source: 'rule', action: 'flag', category: 'spam' },
      { source: 'privacy', action: 'hold', category: 'privacy' },
      { source: 'crisis', action: 'hold', category: 'self_harm' },
    ]);
    expect(d).toMatchObject({ action: 'hold', category: 'self_harm', crisis: true });
    expect(decide([]).action).toBe('publish');
    expect(
      decide([
        { source: 'rule', action: 'block', category: 'spam' },
        { source: 'crisis', action: 'hold', category: 'self_harm' },
      ]).action,
    ).toBe('block');
  });
});
