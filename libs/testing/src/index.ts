export * from './test-app';
export * from './factories';
export * from './jwt';
export * from './groups';
