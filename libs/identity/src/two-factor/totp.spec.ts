import { Secret, TOTP } from 'otpauth';
import {
  currentStep,
  hashRecoveryCode,
  matchingStep,
  newRecoveryCodes,
  newTotpSecret,
  SecretCipher,
  totpUri,
} from './totp';

const codeAt = (secret: string, step: number) =>
  TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: step * 30_000 });

describe('TOTP (RFC 6238)', () => {
  // RFC 6238 appendix B, SHA-1 seed "12345678901234567890", truncated to 6 digits.
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ])('matches the RFC test vector at T=%i', (seconds, code) => {
    const secret = new Secret({ buffer: new TextEncoder().encode('12345678901234567890').buffer })
      .base32;
    expect(matchingStep(secret, code, seconds * 1000)).toBe(Math.floor(seconds / 30));
  });

  it('accepts the previous and the next step, nothing further', () => {
    const secret = newTotpSecret();
    const now = Date.now();
    const step = currentStep(now);
    for (const d of [-1, 0, 1])
      expect(matchingStep(secret, codeAt(secret, step + d), now)).toBe(step + d);
    for (const d of [-3, -2, 2, 3]) {
      const code = codeAt(secret, step + d);
      const inWindow = [-1, 0, 1].some((w) => codeAt(secret, step + w) === code);
      if (!inWindow) expect(matchingStep(secret, code, now)).toBeNull();
    }
  });

  it('refuses malformed codes without computing', () => {
    const secret = newTotpSecret();
    for (const code of ['', '12345', '1234567', 'abcdef', ' 123456']) {
      expect(matchingStep(secret, code, Date.now())).toBeNull();
    }
  });

  it('builds an otpauth URI with the label and the parameters', () => {
    const uri = new URL(totpUri('JBSWY3DPEHPK3PXP', 'rosa_t1d', 'Kinship'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Kinship:rosa_t1d');
    expect(Object.fromEntries(uri.searchParams)).toMatchObject({
      issuer: 'Kinship',
      secret: 'JBSWY3DPEHPK3PXP',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
  });
});

describe('recovery codes', () => {
  it('are ten distinct 16-character codes without look-alike characters', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[A-HJKMNP-Z2-9]{4}(-[A-HJKMNP-Z2-9]{4}){3}$/);
  });

  it('hash the same whatever the case, spaces and hyphens', () => {
    const h = hashRecoveryCode('K7QM-3XRA-PW9D-HT2N');
    expect(hashRecoveryCode(' k7qm 3xra pw9d ht2n ')).toBe(h);
    expect(hashRecoveryCode('K7QM3XRAPW9DHT2N')).toBe(h);
    expect(hashRecoveryCode('K7QM-3XRA-PW9D-HT2M')).not.toBe(h);
  });
});

describe('SecretCipher', () => {
  it('round-trips, with a fresh nonce every time', () => {
    const cipher = new SecretCipher('k'.repeat(40));
    const a = cipher.seal('JBSWY3DPEHPK3PXP');
    const b = cipher.seal('JBSWY3DPEHPK3PXP');
    expect(a).not.toBe(b);
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(cipher.open(a)).toBe('JBSWY3DPEHPK3PXP');
    expect(a.length).toBeLessThanOrEqual(200);
  });

  it('refuses another key and a tampered value', () => {
    const sealed = new SecretCipher('k'.repeat(40)).seal('JBSWY3DPEHPK3PXP');
    expect(() => new SecretCipher('x'.repeat(40)).open(sealed)).toThrow();
    const parts = sealed.split('.');
    parts[3] = parts[3].slice(0, -2) + (parts[3].endsWith('AA') ? 'BB' : 'AA');
    expect(() => new SecretCipher('k'.repeat(40)).open(parts.join('.'))).toThrow();
  });
});
