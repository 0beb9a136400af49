import { QueryFailedError } from 'typeorm';

/** The name of the unique constraint a failed write violated, if that is why it failed. */
export function uniqueViolation(error: unknown): string | undefined {
  if (error instanceof QueryFailedError) {
    const driverError = error.driverError as { code?: string; constraint?: string };
    if (driverError.code === '23505') return driverError.constraint;
  }
  return undefined;
}
