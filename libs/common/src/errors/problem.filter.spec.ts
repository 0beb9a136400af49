import {
  BadRequestException,
  HttpException,
  HttpStatus,
  InternalServerErrorException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { CommonErrorCode, CommonException } from './app.exception';
import { problemFor } from './problem.filter';

const GENERIC_500 = 'Something went wrong on our side. The request was not completed.';

describe('problemFor', () => {
  // Unknown errors are logged on purpose; keep the test output clean.
  beforeAll(() => Logger.overrideLogger(false));

  it('maps an AppException with its code, title, detail and field errors', () => {
    const error = CommonException.validation([{ field: 'email', message: 'must be an email' }]);
    const { problem, headers } = problemFor(error);
    expect(problem).toEqual({
      type: '/problems/validation-failed',
      title: 'Your request has invalid fields',
      status: 400,
      detail: 'email: must be an email',
      errors: [{ field: 'email', message: 'must be an email' }],
    });
    expect(headers).toEqual({});
  });

  it('keeps the extensions of an AppException and derives Retry-After from them', () => {
    const error = new CommonException(CommonErrorCode.RateLimited, 'Slow down.', undefined, {
      retryAfterSeconds: 17,
    });
    const { problem, headers } = problemFor(error);
    expect(problem).toMatchObject({ status: 429, retryAfterSeconds: 17, errors: [] });
    expect(headers['Retry-After']).toBe('17');
  });

  it('maps a Nest 404 to the not-found problem', () => {
    const { problem } = problemFor(new NotFoundException('Cannot GET /nope'));
    expect(problem).toMatchObject({
      type: '/problems/not-found',
      status: 404,
      detail: 'Cannot GET /nope',
      errors: [],
    });
  });

  it('answers a 429 HttpException with a Retry-After header', () => {
    const { problem, headers } = problemFor(
      new HttpException('busy', HttpStatus.TOO_MANY_REQUESTS),
    );
    expect(problem).toMatchObject({ type: '/problems/rate-limited', status: 429 });
    expect(Number(headers['Retry-After'])).toBeGreaterThan(0);
  });

  it('answers 503 with Retry-After when the database cannot be reached, naming nothing of it', () => {
    const refused = Object.assign(
      new Error('database "kinship_prod" is not currently accepting connections'),
      { code: '55000' },
    );
    const { problem, headers } = problemFor(refused);
    expect(problem).toMatchObject({ type: '/problems/service-unavailable', status: 503 });
    expect(headers['Retry-After']).toBe('5');
    expect(JSON.stringify(problem)).not.toMatch(/kinship_prod|55000/);
  });

  it('keeps a 4xx message but never repeats a 5xx one', () => {
    expect(problemFor(new BadRequestException('bad paging')).problem.detail).toBe('bad paging');
    const { problem } = problemFor(new InternalServerErrorException('pool exhausted at db-3'));
    expect(problem.status).toBe(500);
    expect(problem.detail).not.toContain('db-3');
  });

  it('words Fastify body errors itself, whether raw or wrapped by Nest', () => {
    const raw = Object.assign(new SyntaxError('Unexpected token } in JSON at position 7'), {
      statusCode: 400,
      code: 'FST_ERR_CTP_INVALID_JSON_BODY',
    });
    const wrapped = new HttpException(raw.message, 400, { cause: raw });
    for (const error of [raw, wrapped]) {
      const { problem } = problemFor(error);
      expect(problem).toMatchObject({ status: 400, detail: 'The request body is not valid JSON.' });
    }
    const tooLarge = { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: 'x' };
    expect(problemFor(new HttpException('x', 413, { cause: tooLarge })).problem).toMatchObject({
      type: '/problems/payload-too-large',
      status: 413,
    });
  });

  it.each([
    ['an Error', new Error('secret internals /srv/app/db.ts:12')],
    [
      'a database error with SQL',
      Object.assign(new Error('duplicate key value violates unique constraint "users_email_key"'), {
        query: 'INSERT INTO "users"("email") VALUES ($1)',
        parameters: ['someone@example.org'],
      }),
    ],
    ['a thrown string', 'plain string failure'],
    ['undefined', undefined],
  ])('answers %s with a generic 500 that leaks nothing', (_label, error) => {
    const { problem } = problemFor(error);
    expect(problem).toEqual({
      type: '/problems/internal-error',
      title: 'Internal error',
      status: 500,
      detail: GENERIC_500,
      errors: [],
    });
  });
});
