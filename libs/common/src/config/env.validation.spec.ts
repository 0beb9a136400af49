import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { appConfig } from './app.config';
import { booleanFromEnv, validateEnv } from './env.validation';

class SampleEnv {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  WORKERS?: number;

  @IsOptional()
  @IsIn(['a', 'b'])
  MODE?: string;

  @IsOptional()
  @Transform(booleanFromEnv)
  @IsBoolean()
  FLAG?: boolean;
}

/** The message validateEnv throws for `env`, or fails the test when it accepts it. */
function rejection(env: NodeJS.ProcessEnv): string {
  try {
    validateEnv(SampleEnv, env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('validateEnv', () => {
  it('converts valid values', () => {
    expect(validateEnv(SampleEnv, { WORKERS: '4', MODE: 'b', FLAG: 'true' })).toMatchObject({
      WORKERS: 4,
      MODE: 'b',
      FLAG: true,
    });
  });

  it.each([
    ['false', false],
    ['0', false],
    ['true', true],
    ['1', true],
  ])('reads FLAG=%s as %s (not as a truthy string)', (text, expected) => {
    expect(validateEnv(SampleEnv, { FLAG: text }).FLAG).toBe(expected);
  });

  it('treats an empty variable as unset, as deployment tools write them', () => {
    const env = validateEnv(SampleEnv, { WORKERS: '', MODE: '' });
    expect(env.WORKERS).toBeUndefined();
    expect(env.MODE).toBeUndefined();
  });

  it('ignores variables the schema does not know', () => {
    expect(() => validateEnv(SampleEnv, { PATH: '/usr/bin', HOME: '/root' })).not.toThrow();
  });

  it.each([
    [{ WORKERS: 'abc' }, 'WORKERS'],
    [{ WORKERS: '11' }, 'WORKERS'],
    [{ WORKERS: '2.5' }, 'WORKERS'],
    [{ MODE: 'c' }, 'MODE'],
    [{ FLAG: 'yes' }, 'FLAG'],
  ])('refuses %j naming %s', (env, name) => {
    const message = rejection(env);
    expect(message).toMatch(/^Invalid configuration:/);
    expect(message).toContain(`${name}:`);
  });

  it('names every bad variable at once', () => {
    const message = rejection({ WORKERS: '0', MODE: 'z', FLAG: 'maybe' });
    for (const name of ['WORKERS', 'MODE', 'FLAG']) expect(message).toContain(`  ${name}:`);
  });
});

describe('booleanFromEnv', () => {
  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
    ['TRUE', 'TRUE'],
    ['yes', 'yes'],
  ])('%s → %s', (value, expected) => {
    expect(booleanFromEnv({ value })).toBe(expected);
    // As class-transformer calls it: `value` already implicitly converted, `obj` the raw text.
    expect(booleanFromEnv({ value: Boolean(value), key: 'FLAG', obj: { FLAG: value } })).toBe(
      expected,
    );
  });
});

describe('appConfig', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('has safe defaults', () => {
    for (const key of ['PORT', 'HOST', 'LOG_LEVEL', 'BODY_LIMIT_BYTES', 'CORS_ORIGINS']) {
      delete process.env[key];
    }
    expect(appConfig()).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      logLevel: 'info',
      bodyLimitBytes: 1024 * 1024,
      corsOrigins: [],
    });
  });

  it('reads TRUST_PROXY=false as false', () => {
    process.env.TRUST_PROXY = 'false';
    expect(appConfig().trustProxy).toBe(false);
  });

  it('splits CORS_ORIGINS', () => {
    process.env.CORS_ORIGINS = 'https://a.example, https://b.example,';
    expect(appConfig().corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['BODY_LIMIT_BYTES', '10'],
    ['TRUST_PROXY', 'sometimes'],
    ['REDIS_URL', 'http://cache:6379'],
    ['NODE_ENV', 'staging'],
  ])('refuses %s=%s naming it', (name, value) => {
    process.env[name] = value;
    expect(() => appConfig()).toThrow(new RegExp(`^Invalid configuration:[\\s\\S]*${name}:`));
  });
});
