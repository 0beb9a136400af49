import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalise } from '../screening/normalise';
import fc from 'fast-check';
import { wordsOf } from '../screening/normalise';
import { detectCrisis, hasCrisisLanguage } from './crisis.detector';
import { privacyFindings } from './privacy.detector';

interface Corpus {
  positives: string[];
  negatives: string[];
}

const corpus = (name: string): Corpus =>
  JSON.parse(readFileSync(join(process.cwd(), 'test/fixtures/screening', name), 'utf8'));

/** Runs a corpus through a detector and prints recall and false positives (for the report). */
function measure(name: string, detect: (text: string) => boolean) {
  const { positives, negatives } = corpus(name);
  const missed = positives.filter((p) => !detect(p));
  const falsePositives = negatives.filter((n) => detect(n));
  console.log(
    `${name}: recall ${positives.length - missed.length}/${positives.length}, ` +
      `false positives ${falsePositives.length}/${negatives.length}` +
      (missed.length ? `\n  missed: ${JSON.stringify(missed)}` : '') +
      (falsePositives.length ? `\n  false positives: ${JSON.stringify(falsePositives)}` : ''),
  );
  return { positives, negatives, missed, falsePositives };
}

describe('built-in detectors against the corpora', () => {
  it('crisis language: every positive caught, no negative', () => {
    const r = measure('crisis.json', (t) => !!detectCrisis(normalise(t).variants));
    expect(r.positives.length).toBeGreaterThanOrEqual(25);
    expect(r.negatives.length).toBeGreaterThanOrEqual(25);
    expect(r.missed).toEqual([]);
    expect(r.falsePositives).toEqual([]);
  });

  it('privacy leaks: every positive caught, no negative', () => {
    const r = measure('privacy.json', (t) => privacyFindings(t.normalize('NFKC'), 'GB').length > 0);
    expect(r.positives.length).toBeGreaterThanOrEqual(25);
    expect(r.negatives.length).toBeGreaterThanOrEqual(25);
    expect(r.missed).toEqual([]);
    expect(r.falsePositives).toEqual([]);
  });

  it('crisis language survives evasions', () => {
    for (const text of [
      'I w\u200Bant to d\u200Die',
      'I want to dіе', // Cyrillic і and е
      'k i l l  m y s e l f',
      'I WANT TO DIE',
      'i w4nt t0 d1e',
    ]) {
      expect([text, !!detectCrisis(normalise(text).variants)]).toEqual([text, true]);
    }
  });
});

describe('crisis detector shortcut', () => {
  it('answers as the sentence-by-sentence reading does, with or without the quick scan', () => {
    const vocabulary = [
      ...['i', 'want', 'to', 'die', 'do', 'not', "don't", 'never', 'kill', 'myself', 'laughing'],
      ...['end', 'it', 'all', 'suicide', 'awareness', 'for', 'this', 'is', 'killing', 'me', 'cake'],
      ...['.', '!', '?', ';', '\n'],
    ];
    const text = fc
      .array(fc.constantFrom(...vocabulary), { maxLength: 14 })
      .map((words) => words.join(' '));
    fc.assert(
      fc.property(text, (t) => {
        const variants = normalise(t).variants;
        const careful = variants.some((v) =>
          v.split(/[.!?;:\n]+/).some((sentence) => hasCrisisLanguage(wordsOf(sentence))),
        );
        expect(detectCrisis(variants) !== undefined).toBe(careful);
      }),
      { numRuns: 2_000 },
    );
  });
});
