export * from './test-app';
export * from './factories';
export * from './jwt';
export * from './groups';
export * from './run-api';
export * from './sockets';
export * from './two-factor';
