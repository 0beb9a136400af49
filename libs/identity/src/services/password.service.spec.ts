import { CommonException } from '@kinship/common';
import { PASSWORD_MAX, PASSWORD_MIN, PasswordService } from './password.service';

describe('PasswordService', () => {
  const passwords = new PasswordService();

  describe('policy', () => {
    it('accepts a long, uncommon password', () => {
      expect(passwords.problems('calm-river-7d3f2a')).toEqual([]);
    });

    it('enforces the length bounds exactly', () => {
      const tooShort = 'x7#'.padEnd(PASSWORD_MIN - 1, 'q');
      expect(passwords.problems(tooShort)).toHaveLength(1);
      expect(passwords.problems('x7#'.padEnd(PASSWORD_MIN, 'q'))).toEqual([]);
      expect(passwords.problems('x7#'.padEnd(PASSWORD_MAX, 'q'))).toEqual([]);
      expect(passwords.problems('x7#'.padEnd(PASSWORD_MAX + 1, 'q'))[0]).toContain(
        `${PASSWORD_MIN} to ${PASSWORD_MAX}`,
      );
    });

    it.each(['password123', 'Password123', 'qwertyuiop', 'iloveyou1'])(
      'refuses the common password %j',
      (common) => {
        expect(passwords.problems(common).join()).toContain('common');
      },
    );

    it('refuses the email or the handle as the password, whatever the case', () => {
      const context = { email: 'Rosa.Tan@example.org', handle: 'rosa_t1d_2026' };
      expect(passwords.problems('rosa.tan@EXAMPLE.org', context).join()).toContain('email');
      expect(passwords.problems('ROSA_T1D_2026', context).join()).toContain('handle');
      expect(passwords.problems('calm-river-7d3f2a', context)).toEqual([]);
    });

    it('throws a 400 naming the password field', () => {
      let thrown: unknown;
      try {
        passwords.assertAcceptable('short');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CommonException);
      expect((thrown as CommonException).status).toBe(400);
      expect((thrown as CommonException).errors).toEqual([
        { field: 'password', message: expect.stringContaining('characters') },
      ]);
    });
  });

  describe('hashing (argon2id)', () => {
    it('verifies the right password and refuses a wrong one', async () => {
      const hash = await passwords.hash('calm-river-7d3f2a');
      expect(hash).toMatch(/^\$argon2id\$/);
      expect(hash).not.toContain('calm-river');
      await expect(passwords.verify(hash, 'calm-river-7d3f2a')).resolves.toBe(true);
      await expect(passwords.verify(hash, 'calm-river-7d3f2b')).resolves.toBe(false);
    });

    it('salts: the same password hashes differently twice', async () => {
      const [a, b] = await Promise.all([
        passwords.hash('same-words-8'),
        passwords.hash('same-words-8'),
      ]);
      expect(a).not.toBe(b);
    });

    it('answers false, never throws, for a missing or garbled hash', async () => {
      await expect(passwords.verify(null, 'anything-at-all')).resolves.toBe(false);
      await expect(passwords.verify('not-a-hash', 'anything-at-all')).resolves.toBe(false);
    });
  });
});
