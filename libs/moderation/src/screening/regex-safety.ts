import safeRegex from 'safe-regex2';

export const MAX_PATTERN_LENGTH = 200;

/**
 * Why a regex rule's pattern is refused, or undefined when it may be used. Refused: invalid
 * patterns (compiled with the `u` flag, as matching does), patterns safe-regex2 finds
 * exponential (nested quantifiers such as `(a+)+$`), and a repeated group whose alternatives can
 * match the same text (`(x|x)*y`, `(a|ab)*c`), which safe-regex2's star-height test lets through.
 */
export function regexProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `must be at most ${MAX_PATTERN_LENGTH} characters`;
  }
  try {
    new RegExp(pattern, 'u');
  } catch {
    return 'is not a valid regular expression';
  }
  if (!safeRegex(pattern) || overlappingRepeatedAlternation(pattern)) {
    return 'could take exponential time to match (nested or ambiguous repetition)';
  }
  return undefined;
}

/**
 * A conservative check on the source: a quantified group containing `|` is refused unless every
 * alternative is a plain literal and no alternative starts with the same character as another.
 */
function overlappingRepeatedAlternation(pattern: string): boolean {
  const groups = findGroups(pattern);
  return groups.some(({ start, end }) => {
    const quantified = /^(?:[*+]|\{\d*,?\d*\})/.test(pattern.slice(end + 1));
    if (!quantified) return false;
    const inner = pattern.slice(start + 1, end).replace(/^\?(?::|<?[=!]|<[^>]+>)/, '');
    if (!inner.includes('|')) return false;
    const options = inner.split('|');
    if (options.some((o) => o === '' || /[\\[\](){}.*+?^$]/.test(o))) return true;
    const firsts = options.map((o) => o[0]);
    return new Set(firsts).size !== firsts.length;
  });
}

/** Positions of each parenthesised group (escapes and character classes skipped). */
function findGroups(pattern: string): { start: number; end: number }[] {
  const open: number[] = [];
  const groups: { start: number; end: number }[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') open.push(i);
    else if (c === ')' && open.length) groups.push({ start: open.pop()!, end: i });
  }
  return groups;
}
