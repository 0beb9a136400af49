import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

/**
 * A bad environment: the message names every offending variable. It carries no stack frames, so
 * the start-up log shows operators the variables alone, not where in our code they were read.
 */
export class ConfigurationError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
    this.stack = `${this.name}: ${this.message}`;
  }
}

/**
 * Validates a slice of the environment against a class-validator schema and fails fast,
 * naming every offending variable, so a bad deployment never half-starts.
 */
export function validateEnv<T extends object>(
  schema: new () => T,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) {
    // An empty variable means "unset", as in most deployment tools.
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const instance = plainToInstance(schema, raw, { enableImplicitConversion: true });
  const errors = validateSync(instance, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    throw new ConfigurationError(
      errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`),
    );
  }
  return instance;
}

/**
 * `@Transform` for boolean variables: only true/false/1/0 are accepted. It reads the raw text from
 * `obj`, because implicit conversion has already made `value` Boolean('false') === true.
 */
export function booleanFromEnv({
  value,
  key,
  obj,
}: {
  value: unknown;
  key?: string;
  obj?: Record<string, unknown>;
}): unknown {
  const raw = obj && key !== undefined && key in obj ? obj[key] : value;
  if (raw === 'true' || raw === '1' || raw === true) return true;
  if (raw === 'false' || raw === '0' || raw === false) return false;
  return raw;
}
