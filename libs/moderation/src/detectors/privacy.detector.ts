import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js';
import type { ScreeningReason } from '../screening/screening.types';
import {
  ADDRESS_CUES,
  STREET_FIRST_WORDS,
  STREET_SUFFIXES,
  STREET_WORDS,
} from './data/privacy-terms';

export type PrivacyFinding =
  'phone number' | 'email address' | 'street address' | 'identity number';

const alt = (words: string[]) => words.map((w) => w.replace(/[.]/g, '\\.')).join('|');
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/u;
// National numbers of any country, as written: a leading 0 or +, then 8 to 14 more digits in
// groups (libphonenumber only knows the default region's national format).
const PHONE_FALLBACK = /(?:^|[^\p{L}\p{N}.,/])(?:\+|0)\d(?:[ .\-()]{0,2}\d){7,13}(?![\p{N}/])/u;
// Capitalised street names ("12 Baker Street", "5a Rose Lane"), from the un-lowercased text.
// (No `i` flag there: it would let \p{Lu} match lower case too.)
const capitalisable = (words: string[]) =>
  words.map((w) => `[${w[0]}${w[0].toUpperCase()}]${w.slice(1)}`).join('|');
const ADDRESS_CAPITALISED = new RegExp(
  `\\b\\d{1,5}[a-zA-Z]?,?\\s+(?:\\p{Lu}[\\p{L}'’.-]*\\s+){1,4}(?:${capitalisable(STREET_WORDS)})\\b`,
  'u',
);
// "12 rue de la Paix", "5 via Roma".
const ADDRESS_NUMBER_STREET_FIRST = new RegExp(
  `\\b\\d{1,5}[a-z]?,?\\s+(?:${alt(STREET_FIRST_WORDS)})\\s+\\p{L}`,
  'u',
);
// North American formats: (415) 555-2671, 415-555-2671, 415.555.2671.
const PHONE_NANP = /\(\d{3}\)\s?\d{3}[-. ]\d{4}\b|\b\d{3}[-.]\d{3}[-.]\d{4}\b/;
const ADDRESS_NUMBER_FIRST = new RegExp(
  `\\b\\d{1,5}[a-z]?,?\\s+(?:[\\p{L}'’.-]+\\s+){1,4}(?:${alt(STREET_WORDS)})\\b`,
  'u',
);
const ADDRESS_STREET_FIRST = new RegExp(
  `\\b(?:${alt(STREET_FIRST_WORDS)})\\s+(?:[\\p{L}'’.-]+\\s+){1,4}\\d{1,5}[a-z]?\\b`,
  'u',
);
const ADDRESS_SUFFIX = new RegExp(
  `\\b\\p{L}{3,}(?:${alt(STREET_SUFFIXES)})\\.?\\s*\\d{1,4}[a-z]?\\b`,
  'u',
);
const CUE = new RegExp(`\\b(?:${alt(ADDRESS_CUES)})\\b`, 'u');
// Identity documents: US SSN, NHS-like 3-3-4, passport-like letter + 8 digits, national ids.
const ID_NUMBERS = [
  /\b\d{3}-\d{2}-\d{4}\b/,
  /\b\d{3} \d{3} \d{4}\b/,
  /\b[a-z]{1,2}\d{7,8}\b/i,
  /\b(?:nhs|ssn|social security|passport|national insurance|insurance|id|patient)(?: number| no| nr| #)?\s*(?:is|:)?\s*[a-z]{0,2}[\d -]{8,14}\d\b/i,
  /\b[a-ceghj-pr-tw-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[a-d]\b/i, // UK National Insurance
];

const ADVICE: Record<PrivacyFinding, string> = {
  'phone number': 'a phone number',
  'email address': 'an email address',
  'street address': 'a street address',
  'identity number': 'what looks like an identity, health-service or passport number',
};

/**
 * Personal contact details and identity numbers, found in the NFKC text before case folding
 * (capitals tell street names from prose). Held, with a detail telling the author what to edit.
 */
export function detectPrivacy(text: string, region: CountryCode): ScreeningReason | undefined {
  const found = privacyFindings(text, region);
  if (!found.length) return undefined;
  const what = found.map((f) => ADVICE[f]).join(' and ');
  return {
    source: 'privacy',
    action: 'hold',
    category: 'privacy',
    detail:
      `This seems to contain ${what}. To protect you and others, it waits for a moderator; ` +
      'edit it out (share contact details in private, never in the group) and post again.',
  };
}

export function privacyFindings(text: string, region: CountryCode): PrivacyFinding[] {
  // Every finding needs a digit (of any script) or an @: most messages have neither.
  if (!/[\p{Nd}@]/u.test(text)) return [];
  const lower = text.toLowerCase();
  const found = new Set<PrivacyFinding>();
  if (EMAIL.test(text)) found.add('email address');
  if (PHONE_FALLBACK.test(text) || PHONE_NANP.test(text) || hasPhone(text, region))
    found.add('phone number');
  if (
    ADDRESS_CAPITALISED.test(text) ||
    ADDRESS_SUFFIX.test(lower) ||
    ADDRESS_STREET_FIRST.test(lower) ||
    ADDRESS_NUMBER_STREET_FIRST.test(lower) ||
    (CUE.test(lower) && ADDRESS_NUMBER_FIRST.test(lower))
  ) {
    found.add('street address');
  }
  if (ID_NUMBERS.some((re) => re.test(text))) found.add('identity number');
  return [...found];
}

function hasPhone(text: string, region: CountryCode): boolean {
  try {
    return findPhoneNumbersInText(text, { defaultCountry: region }).length > 0;
  } catch {
    return false;
  }
}
