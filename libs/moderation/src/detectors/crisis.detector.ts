import { wordsOf } from '../screening/normalise';
import type { ScreeningReason } from '../screening/screening.types';
import {
  CRISIS_FALSE_FRIENDS,
  CRISIS_NEGATIONS,
  CRISIS_PHRASES,
  NEGATION_WINDOW,
} from './data/crisis-phrases';

// Built from our own phrase lists (not user input): word-bounded by the padding spaces.
const PHRASES = CRISIS_PHRASES.map((p) => new RegExp(` (?:${p}) `, 'g'));
const FALSE_FRIENDS = CRISIS_FALSE_FRIENDS.map((p) => new RegExp(` (?:${p}) `, 'g'));
const NEGATIONS = new Set(CRISIS_NEGATIONS);
// Every phrase at once: text without any of them (most text) needs no closer reading.
const ANY_PHRASE = new RegExp(` (?:${CRISIS_PHRASES.join('|')}) `);

/**
 * Crisis language in any of the normalised spellings: suicidal intent or self-harm that is not
 * denied by a negation just before it, and not one of the other senses ("to die for"). `words`
 * are the spellings as words (`wordsOf`), when the caller has them already.
 */
export function detectCrisis(
  variants: string[],
  words: string[] = variants.map(wordsOf),
): ScreeningReason | undefined {
  // A sentence's words are a run of the whole text's words, so a phrase that matches in no
  // whole text matches in no sentence either (and removing the other senses adds no match).
  if (!words.some((w) => ANY_PHRASE.test(w))) return undefined;
  // Sentence by sentence, so a negation never reaches into the next one ("I'm not ok. I want to die").
  const found = variants.some((v) =>
    v.split(/[.!?;:\n]+/).some((sentence) => hasCrisisLanguage(wordsOf(sentence))),
  );
  return found ? { source: 'crisis', action: 'hold', category: 'self_harm' } : undefined;
}

export function hasCrisisLanguage(words: string): boolean {
  let text = words;
  // Keep the words count intact so negation windows still line up; the sense is simply removed.
  for (const re of FALSE_FRIENDS) text = text.replace(re, (m) => ` ${'_ '.repeat(count(m))}`);
  return PHRASES.some((re) => {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const before = text.slice(0, m.index).trim().split(' ').slice(-NEGATION_WINDOW);
      if (!before.some((w) => NEGATIONS.has(w))) return true;
      re.lastIndex = m.index + 1;
    }
    return false;
  });
}

const count = (m: string) => m.trim().split(' ').length;
