/**
 * Jest in ESM mode (Nest 12 is ESM-only): NODE_OPTIONS=--experimental-vm-modules is set by the
 * npm scripts. Projects: unit specs beside the code; e2e suites under test/e2e that boot the api;
 * scale suites under test/scale (several api processes, real PostgreSQL and Redis, run alone).
 */
const os = require('node:os');

const aliases = {
  '^@kinship/([a-z-]+)$': '<rootDir>/libs/$1/src',
  '^(\\.{1,2}/.*)\\.js$': '$1',
};
const transform = {
  '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.jest.json' }],
};
const base = {
  rootDir: __dirname,
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: aliases,
  transform,
  testEnvironment: 'node',
};

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      setupFiles: ['<rootDir>/test/setup-worker-database.ts'],
      slowTestThreshold: 30,
    },
    {
      ...base,
      displayName: 'scale',
      testMatch: ['<rootDir>/test/scale/**/*.scale-spec.ts'],
    },
  ],
  testTimeout: 60_000,
  // Each e2e suite runs its own api process, on its own copy of the embedded data directory or, on
  // PostgreSQL, on its worker's own database (test/worker-databases.ts), and mostly waits for it:
  // one worker per core (embedded on 2 cores: 449 s instead of 628 s), at most four, since each
  // worker and its api hold a few hundred MB.
  maxWorkers: Math.min(4, os.availableParallelism()),
};
