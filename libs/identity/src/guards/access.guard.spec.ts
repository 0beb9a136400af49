import { jest } from '@jest/globals';

// token.service.ts imports the type ConfigType as a value for decorator metadata, which the
// per-file ESM transpilation of the test runner cannot link; bearerToken does not need it.
jest.unstable_mockModule('../services/token.service', () => ({ TokenService: class {} }));
let bearerToken: typeof import('./access.guard.js').bearerToken;
beforeAll(async () => {
  ({ bearerToken } = await import('./access.guard.js'));
});

describe('bearerToken', () => {
  it('is undefined without an Authorization header (a public route may go on)', () => {
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['BEARER abc', 'abc'],
    ['Bearer   abc  ', 'abc'],
    ['Bearer\tabc', 'abc'],
  ])('reads %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  // '' (not undefined): a malformed header must fail authentication, even on public routes,
  // rather than be treated as "no credentials".
  it.each([
    [''],
    ['Bearer'],
    ['Bearer '],
    ['Basic dXNlcjpwYXNz'],
    ['Bearer a b'],
    ['Token abc'],
    ['Bearerabc'],
    ['abc.def.ghi'],
  ])('treats %j as malformed', (header) => {
    expect(bearerToken(header)).toBe('');
  });
});
