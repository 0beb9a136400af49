import { AppException, type FieldError, type ProblemSpec } from '@kinship/common';

export enum EngagementErrorCode {
  InvalidMetricsQuery = 'invalid-metrics-query',
}

const ENGAGEMENT_PROBLEMS: Record<EngagementErrorCode, ProblemSpec> = {
  [EngagementErrorCode.InvalidMetricsQuery]: {
    status: 400,
    title: 'The metrics query is not valid',
  },
};

export class EngagementException extends AppException {
  constructor(code: EngagementErrorCode, detail?: string, errors?: FieldError[]) {
    super(code, ENGAGEMENT_PROBLEMS[code], detail, errors);
  }
}
