/**
 * Screening text normalisation: what a rule or detector matches is the text a reader perceives,
 * not the code points an evader typed. Pure functions, no dependencies (unit-tested).
 */

// Zero-width and invisible formatting characters (ZWSP/ZWNJ/ZWJ, word joiner, BOM, soft hyphen…).
// (The grapheme joiner U+034F ZWNJ and ZWJ stand outside the class: inside it they read as
// joined to their neighbour.)
const INVISIBLE =
  /[\u00AD\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u206F\uFEFF]|\u034F|\u115F|\u1160|\u17B4|\u17B5|\u200C|\u200D/g;
// Control characters except line breaks (matching is per line) and tabs (become spaces).
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const COMBINING = /\p{M}+/gu;

/** Cyrillic and Greek letters that look like Latin ones. */
const HOMOGLYPHS: Record<string, string> = {
  а: 'a',
  в: 'b',
  с: 'c',
  е: 'e',
  ё: 'e',
  һ: 'h',
  н: 'h',
  і: 'i',
  ї: 'i',
  ј: 'j',
  к: 'k',
  м: 'm',
  о: 'o',
  р: 'p',
  ԛ: 'q',
  г: 'r',
  ѕ: 's',
  т: 't',
  у: 'y',
  х: 'x',
  ү: 'y',
  ԝ: 'w',
  ɑ: 'a',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  γ: 'y',
  ω: 'w',
  ς: 's',
  σ: 'o',
  ı: 'i',
};
const HOMOGLYPH_RE = new RegExp(`[${Object.keys(HOMOGLYPHS).join('')}]`, 'g');

const LEET: Record<string, string> = {
  '0': 'o',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};
// A leet character counts only inside a word that also has letters ("m1racle", "k!ll" no,
// "c@ncer"), so phone numbers, doses and dates stay numbers.
const LEET_WORD = /[\p{L}0-9@$!|]*\p{L}[\p{L}0-9@$!|]*/gu;

export interface NormalisedText {
  /** NFKC, invisible and control characters removed, diacritics and case folded, look-alikes undone. */
  text: string;
  /** Spellings to match rules and phrases against: leet undone (1 as i, and as l), spacing collapsed. */
  variants: string[];
}

// Printable ASCII, tabs and line breaks: nothing to fold but case and whitespace (most messages).
const PLAIN_ASCII = /^[\x20-\x7E\t\n\r]*$/;

export function normalise(input: string): NormalisedText {
  const text = PLAIN_ASCII.test(input)
    ? input.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').toLowerCase()
    : fold(input);
  const collapsed = collapseSpacing(text);
  const variants = new Set([collapsed, unleet(collapsed, 'i'), unleet(collapsed, 'l')]);
  return { text, variants: [...variants] };
}

/** The whole folding, for text beyond printable ASCII (the fast path above gives the same). */
function fold(input: string): string {
  return input
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(CONTROL, '')
    .toLowerCase()
    .normalize('NFD')
    .replace(COMBINING, '')
    .normalize('NFC')
    .replace(HOMOGLYPH_RE, (c) => HOMOGLYPHS[c] ?? c)
    .replace(/ß/g, 'ss');
}

function unleet(text: string, one: 'i' | 'l'): string {
  if (!/[0-9@$!|]/.test(text)) return text;
  return text.replace(LEET_WORD, (word) =>
    /[0-9@$!|]/.test(word)
      ? word.replace(/[013457@$!|]/g, (c) => (c === '1' || c === '!' || c === '|' ? one : LEET[c]))
      : word,
  );
}

/**
 * "m i r a c l e" → "miracle": runs of three or more single characters separated by one space,
 * dot, dash or underscore (a wider gap separates words: "m i r a c l e  c u r e").
 */
export function collapseSpacing(text: string): string {
  return text.replace(
    /(?<![\p{L}\p{N}])(?:[\p{L}\p{N}@$][ .\-_*]){2,}[\p{L}\p{N}@$](?![\p{L}\p{N}])/gu,
    (run) => run.replace(/[ .\-_*]/g, ''),
  );
}

/**
 * Words only, separated by single spaces and padded with one on each side, so that a phrase
 * " want to die " matches on word boundaries by substring. Contractions are spelt out
 * ("don't" → "do not") so negations read the same however they are typed.
 */
export function wordsOf(text: string): string {
  const spelt = text
    .replace(/[’'`´]/g, "'")
    .replace(/\bcan't\b|\bcannot\b/g, 'can not')
    .replace(/\bwon't\b/g, 'will not')
    .replace(/n't\b/g, ' not')
    // The same without the apostrophe, as typed on phones ("dont", "cant", "im").
    .replace(/\bcant\b/g, 'can not')
    .replace(/\b(do|does|did|is|are|was|were|could|would|should|have|has)nt\b/g, '$1 not')
    .replace(/\bim\b/g, 'i am')
    .replace(/'m\b/g, ' am')
    .replace(/'ve\b/g, ' have')
    .replace(/'ll\b/g, ' will')
    .replace(/'d\b/g, ' would')
    .replace(/'re\b/g, ' are');
  const words = spelt.match(/[\p{L}\p{N}]+/gu) ?? [];
  return ` ${words.join(' ')} `;
}
