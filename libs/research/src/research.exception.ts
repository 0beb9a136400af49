import { AppException, type FieldError, type ProblemSpec } from '@kinship/common';

export enum ResearchErrorCode {
  StudyNotFound = 'study-not-found',
  StudyNotDraft = 'study-not-draft',
  StudyNotOpen = 'study-not-open',
  StudyClosed = 'study-closed',
  NotInStudyGroups = 'not-in-study-groups',
  SurveyNotFound = 'survey-not-found',
  ConsentRequired = 'consent-required',
  SurveyAlreadyAnswered = 'survey-already-answered',
  ExportNotFound = 'export-not-found',
  ExportNotReady = 'export-not-ready',
  ExportExpired = 'export-expired',
  TooManyExports = 'too-many-exports',
}

const RESEARCH_PROBLEMS: Record<ResearchErrorCode, ProblemSpec> = {
  // Unknown, or not visible to the caller: the same answer.
  [ResearchErrorCode.StudyNotFound]: { status: 404, title: 'Study not found' },
  [ResearchErrorCode.StudyNotDraft]: { status: 409, title: 'Only a draft study can be approved' },
  [ResearchErrorCode.StudyNotOpen]: { status: 409, title: 'The study is not open' },
  [ResearchErrorCode.StudyClosed]: { status: 409, title: 'The study is closed' },
  [ResearchErrorCode.NotInStudyGroups]: {
    status: 403,
    title: "Only active members of the study's groups may take part",
  },
  [ResearchErrorCode.SurveyNotFound]: { status: 404, title: 'Survey not found' },
  [ResearchErrorCode.ConsentRequired]: {
    status: 403,
    title: 'Only participants who consented may answer',
  },
  [ResearchErrorCode.SurveyAlreadyAnswered]: {
    status: 409,
    title: 'You already answered this survey',
  },
  [ResearchErrorCode.ExportNotFound]: { status: 404, title: 'Export not found' },
  [ResearchErrorCode.ExportNotReady]: { status: 409, title: 'The export is not ready' },
  [ResearchErrorCode.ExportExpired]: { status: 410, title: 'The export has expired' },
  [ResearchErrorCode.TooManyExports]: {
    status: 409,
    title: 'Exports of this study are already being built',
  },
};

export class ResearchException extends AppException {
  constructor(code: ResearchErrorCode, detail?: string, errors?: FieldError[]) {
    super(code, RESEARCH_PROBLEMS[code], detail, errors);
  }
}
