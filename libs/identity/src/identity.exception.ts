import { AppException, type FieldError, type ProblemSpec } from '@kinship/common';

export enum IdentityErrorCode {
  InvalidCredentials = 'invalid-credentials',
  InvalidAccessToken = 'invalid-access-token',
  InvalidRefreshToken = 'invalid-refresh-token',
  RefreshTokenReused = 'refresh-token-reused',
  SessionEnded = 'session-ended',
  AccountSuspended = 'account-suspended',
  AccountLocked = 'account-locked',
  EmailTaken = 'email-taken',
  HandleTaken = 'handle-taken',
  RoleRequired = 'role-required',
  UserNotFound = 'user-not-found',
  LastAdmin = 'last-admin',
  TwoFactorRequired = 'two-factor-required',
  InvalidTwoFactorCode = 'invalid-two-factor-code',
  InvalidMfaToken = 'invalid-mfa-token',
  TwoFactorAlreadyEnabled = 'two-factor-already-enabled',
  TwoFactorNotEnabled = 'two-factor-not-enabled',
  TwoFactorSetupMissing = 'two-factor-setup-missing',
  ConfirmationFailed = 'confirmation-failed',
}

const IDENTITY_PROBLEMS: Record<IdentityErrorCode, ProblemSpec> = {
  [IdentityErrorCode.InvalidCredentials]: { status: 401, title: 'Email or password is wrong' },
  [IdentityErrorCode.InvalidAccessToken]: {
    status: 401,
    title: 'Missing, invalid or expired access token',
  },
  [IdentityErrorCode.InvalidRefreshToken]: {
    status: 401,
    title: 'Invalid or expired refresh token',
  },
  [IdentityErrorCode.RefreshTokenReused]: { status: 401, title: 'Refresh token was already used' },
  [IdentityErrorCode.SessionEnded]: { status: 401, title: 'This session has ended' },
  [IdentityErrorCode.AccountSuspended]: { status: 403, title: 'Account suspended' },
  [IdentityErrorCode.AccountLocked]: { status: 429, title: 'Too many failed sign-ins' },
  [IdentityErrorCode.EmailTaken]: { status: 409, title: 'Email already registered' },
  [IdentityErrorCode.HandleTaken]: { status: 409, title: 'Handle already taken' },
  [IdentityErrorCode.RoleRequired]: { status: 403, title: 'Your role does not allow this' },
  [IdentityErrorCode.UserNotFound]: { status: 404, title: 'User not found' },
  [IdentityErrorCode.LastAdmin]: { status: 409, title: 'The platform needs at least one admin' },
  [IdentityErrorCode.TwoFactorRequired]: {
    status: 403,
    title: 'Staff roles act only after a two-factor sign-in',
  },
  [IdentityErrorCode.InvalidTwoFactorCode]: { status: 401, title: 'The code is wrong or was used' },
  [IdentityErrorCode.InvalidMfaToken]: {
    status: 401,
    title: 'Invalid or expired two-factor sign-in',
  },
  [IdentityErrorCode.TwoFactorAlreadyEnabled]: {
    status: 409,
    title: 'Two-factor sign-in is already on',
  },
  [IdentityErrorCode.TwoFactorNotEnabled]: { status: 409, title: 'Two-factor sign-in is off' },
  [IdentityErrorCode.TwoFactorSetupMissing]: {
    status: 409,
    title: 'Start the two-factor setup first',
  },
  [IdentityErrorCode.ConfirmationFailed]: {
    status: 403,
    title: 'The password or code does not match',
  },
};

export class IdentityException extends AppException {
  constructor(
    code: IdentityErrorCode,
    detail?: string,
    errors?: FieldError[],
    extensions?: Record<string, unknown>,
  ) {
    super(code, IDENTITY_PROBLEMS[code], detail, errors, extensions);
  }
}
