import { normalise, type NormalisedText, wordsOf } from './normalise';
import type { Category, MatchType, RuleAction, ScreeningReason } from './screening.types';

export interface ScreeningRule {
  id: string;
  pattern: string;
  matchType: MatchType;
  action: RuleAction;
  category: Category;
}

/** Regex rules see at most this much normalised text, line by line: matching time stays bounded. */
export const REGEX_TEXT_LIMIT = 5_000;
const LINE_LIMIT = 1_000;

/** A rule prepared once (per cache fill), not per message. */
export interface CompiledRule extends ScreeningRule {
  test: (text: PreparedText) => boolean;
}

/** The normalised text in the shapes rules match against. */
export interface PreparedText extends NormalisedText {
  /** Each variant as space-padded words. */
  words: string[];
  /** Each variant with every non-letter removed, for letter-spaced evasions ("m i r a c l e c u r e"). */
  compact: string[];
  /** Lines of the variants, capped, for regex rules. */
  lines: string[];
}

export function prepare(input: string): PreparedText {
  const n = normalise(input);
  let compact: string[] | undefined;
  let lines: string[] | undefined;
  return {
    ...n,
    words: n.variants.map(wordsOf),
    // Only rules read these, and most groups have none: made on first use.
    get compact() {
      return (compact ??= n.variants.map((v) => v.replace(/[^\p{L}\p{N}]+/gu, '')));
    },
    get lines() {
      lines ??= [
        ...new Set(
          n.variants
            .map((v) => v.slice(0, REGEX_TEXT_LIMIT))
            .flatMap((v) => v.split('\n'))
            .map((l) => l.slice(0, LINE_LIMIT)),
        ),
      ];
      return lines;
    },
  };
}

export function compileRule(rule: ScreeningRule): CompiledRule {
  if (rule.matchType === 'regex') {
    let re: RegExp | undefined;
    try {
      re = new RegExp(rule.pattern, 'iu');
    } catch {
      re = undefined; // refused at creation; a rule stored otherwise never matches
    }
    return { ...rule, test: (t) => !!re && t.lines.some((l) => re.test(l)) };
  }
  const phrase = wordsOf(normalise(rule.pattern).variants[0]);
  const compact = phrase.replace(/ /g, '');
  // Letter-spaced evasions lose word boundaries, so only long phrases are matched without them.
  const useCompact =
    rule.matchType === 'phrase' && phrase.trim().includes(' ') && compact.length >= 8;
  return {
    ...rule,
    test: (t) =>
      phrase.trim() !== '' &&
      (t.words.some((w) => w.includes(phrase)) ||
        (useCompact && t.compact.some((c) => c.includes(compact)))),
  };
}

export function matchRules(rules: CompiledRule[], text: PreparedText): ScreeningReason[] {
  return rules
    .filter((r) => r.test(text))
    .map((r) => ({
      source: 'rule' as const,
      action: r.action,
      category: r.category,
      ruleId: r.id,
    }));
}
