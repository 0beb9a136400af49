import { QueryFailedError } from 'typeorm';
import { isServiceUnreachable, unavailableProblem } from './unavailable';

/** An error as node-postgres raises it: a message and a SQLSTATE. */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
const failedStatement = (driverError: Error) =>
  new QueryFailedError('INSERT INTO chat_messages ...', [], driverError);

describe('isServiceUnreachable', () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    ['a reset connection', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    [
      'a database not accepting connections, on connect',
      pgError('55000', 'database "k" is not currently accepting connections'),
    ],
    ['a refused password, on connect', pgError('28P01', 'password authentication failed')],
    [
      'a statement cut by an administrator',
      failedStatement(pgError('57P01', 'terminating connection due to administrator command')),
    ],
    [
      'a statement during shutdown',
      failedStatement(pgError('57P03', 'the database system is shutting down')),
    ],
    ['a statement on a broken connection', failedStatement(pgError('08006', 'connection failure'))],
    ['too many connections', failedStatement(pgError('53300', 'sorry, too many clients already'))],
    [
      'a connection lost mid-statement',
      failedStatement(new Error('Connection terminated unexpectedly')),
    ],
    ['the pool giving up', new Error('timeout exceeded when trying to connect')],
    [
      'a dead client reused',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    [
      'a released query runner',
      Object.assign(new Error('Query runner already released'), {
        name: 'QueryRunnerAlreadyReleasedError',
      }),
    ],
    [
      'Redis giving up on a command',
      Object.assign(new Error('Reached the max retries per request limit'), {
        name: 'MaxRetriesPerRequestError',
      }),
    ],
    [
      'a cause that was refused',
      new Error('job not queued', {
        cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
      }),
    ],
  ])('is true for %s', (_, error) => {
    expect(isServiceUnreachable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', failedStatement(pgError('23505', 'duplicate key value'))],
    ['a missing table', failedStatement(pgError('42P01', 'relation "x" does not exist'))],
    [
      'a database closed, as a statement error',
      failedStatement(pgError('55000', 'not in prerequisite state')),
    ],
    [
      'a statement timeout, outside TypeORM',
      pgError('57014', 'canceling statement due to statement timeout'),
    ],
    [
      'a statement timeout',
      failedStatement(pgError('57014', 'canceling statement due to statement timeout')),
    ],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['an error without a code', new Error('something else')],
    ['a string', 'ECONNREFUSED'],
    ['null', null],
  ])('is false for %s', (_, error) => {
    expect(isServiceUnreachable(error)).toBe(false);
  });

  it('stops following causes after a few levels (a cycle cannot hang it)', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = a;
    expect(isServiceUnreachable(a)).toBe(false);
  });
});

describe('unavailableProblem', () => {
  it('is a 503 that asks the client to retry, and names nothing of the server', () => {
    const problem = unavailableProblem(
      pgError('55000', 'database "kinship_prod" is not currently accepting connections'),
    );
    expect(problem).toMatchObject({
      status: 503,
      code: 'service-unavailable',
      extensions: { retryAfterSeconds: 5 },
    });
    expect(problem?.detail).toMatch(/try again/i);
    expect(problem?.detail).not.toMatch(/kinship_prod|55000/);
  });

  it('is undefined for other errors', () => {
    expect(unavailableProblem(new Error('bug'))).toBeUndefined();
  });
});
