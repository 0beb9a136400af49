import type { FieldError } from '@kinship/common';
import type { SurveyItem } from '../entities/survey.entity';

export const ITEM_KEY = /^[a-z][a-z0-9_]{0,39}$/;
export const MAX_ITEMS = 100;
export const MAX_SCALE = 1000;

/** What is wrong with a survey's items beyond their shape: duplicate keys, empty ranges. */
export function itemProblems(items: SurveyItem[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.key)) errors.push({ field: `items.${i}.key`, message: 'is used twice' });
    seen.add(item.key);
    if (item.min >= item.max) {
      errors.push({ field: `items.${i}.max`, message: 'must be greater than min' });
    }
  });
  return errors;
}

/**
 * Checks answers key by key: every item answered, with an integer within its range, and no key
 * the survey does not have. An empty list means the answers are valid.
 */
export function answerProblems(
  items: SurveyItem[],
  answers: Record<string, unknown>,
): FieldError[] {
  const errors: FieldError[] = [];
  const keys = new Set(items.map((i) => i.key));
  for (const item of items) {
    const field = `answers.${item.key}`;
    if (!Object.prototype.hasOwnProperty.call(answers, item.key)) {
      errors.push({ field, message: 'is required' });
      continue;
    }
    const value = answers[item.key];
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < item.min ||
      value > item.max
    ) {
      errors.push({ field, message: `must be an integer from ${item.min} to ${item.max}` });
    }
  }
  for (const key of Object.keys(answers)) {
    if (!keys.has(key)) {
      errors.push({
        field: `answers.${key.slice(0, 60)}`,
        message: 'is not an item of this survey',
      });
    }
  }
  return errors;
}
