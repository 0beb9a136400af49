/** Report reasons; screening rules and detectors use the same words as their category. */
export const CATEGORIES = [
  'spam',
  'harassment',
  'misinformation',
  'self_harm',
  'privacy',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const RULE_ACTIONS = ['block', 'hold', 'flag'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

export const MATCH_TYPES = ['word', 'phrase', 'regex'] as const;
export type MatchType = (typeof MATCH_TYPES)[number];

export type Decision = 'publish' | RuleAction;

/** Most urgent first in the moderation queue: a patient in crisis comes before everything. */
export const URGENCY: Record<Category, number> = {
  self_harm: 0,
  privacy: 1,
  harassment: 1,
  misinformation: 2,
  spam: 3,
  other: 3,
};

const PRECEDENCE: Record<Decision, number> = { publish: 0, flag: 1, hold: 2, block: 3 };

/** Why screening decided what it did: one entry per rule or detector that fired. */
export interface ScreeningReason {
  /** `first_post`: the group holds new members' first posts for approval. */
  source: 'rule' | 'crisis' | 'privacy' | 'first_post';
  action: RuleAction;
  category: Category;
  ruleId?: string;
  /** For the author: what to change (privacy leaks). */
  detail?: string;
}

export interface CrisisResource {
  name: string;
  contact: string;
  url?: string;
}

export interface ScreeningResult {
  action: Decision;
  /** The category of the deciding reason (absent when published without a finding). */
  category?: Category;
  reasons: ScreeningReason[];
  /** Crisis language was found: the answer carries help. */
  crisis: boolean;
  detail?: string;
}

/** block > hold > flag > publish; among equals, the most urgent category decides. */
export function decide(reasons: ScreeningReason[]): ScreeningResult {
  const sorted = [...reasons].sort(
    (a, b) =>
      PRECEDENCE[b.action] - PRECEDENCE[a.action] || URGENCY[a.category] - URGENCY[b.category],
  );
  const top = sorted[0];
  return {
    action: top?.action ?? 'publish',
    category: top?.category,
    reasons: sorted,
    crisis: reasons.some((r) => r.source === 'crisis'),
    detail: sorted.find((r) => r.action === top?.action && r.detail)?.detail,
  };
}
