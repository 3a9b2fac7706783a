import { describe, expect, it } from 'vitest';
import { hotpAt, normalizeTotpCode, TOTP_SETTINGS, totpAt } from '../../../src/core/internal/totp/totp-code.js';

const ascii = (value: string) => new TextEncoder().encode(value);

/** RFC 6238 Appendix B: 30 s step, T0 = 0, 8 digits, each hash with its own ASCII seed. */
const SECRETS = {
  sha1: ascii('12345678901234567890'),
  sha256: ascii('12345678901234567890123456789012'),
  sha512: ascii('1234567890123456789012345678901234567890123456789012345678901234'),
} as const;

const RFC_6238: Array<{ time: number; step: string; sha1: string; sha256: string; sha512: string }> = [
  { time: 59, step: '0000000000000001', sha1: '94287082', sha256: '46119246', sha512: '90693936' },
  { time: 1111111109, step: '00000000023523EC', sha1: '07081804', sha256: '68084774', sha512: '25091201' },
  { time: 1111111111, step: '00000000023523ED', sha1: '14050471', sha256: '67062674', sha512: '99943326' },
  { time: 1234567890, step: '000000000273EF07', sha1: '89005924', sha256: '91819424', sha512: '93441116' },
  { time: 2000000000, step: '0000000003F940AA', sha1: '69279037', sha256: '90698825', sha512: '38618901' },
  { time: 20000000000, step: '0000000027BC86AA', sha1: '65353130', sha256: '77737706', sha512: '47863826' },
];

/** RFC 4226 Appendix D: HOTP, SHA-1, the 20-byte seed, 6 digits, counters 0–9. */
const RFC_4226 = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];

describe('TOTP test vectors (through otplib, as latchkey configures it)', () => {
  it('uses SHA-1, 6 digits, 30-second steps and ±1 step of tolerance', () => {
    expect(TOTP_SETTINGS).toEqual({ algorithm: 'sha1', digits: 6, period: 30, epochTolerance: 30 });
  });

  describe.each(RFC_6238)('RFC 6238 Appendix B at t = $time', (vector) => {
    it('has the step the RFC lists', () => {
      expect(Math.floor(vector.time / 30).toString(16).toUpperCase().padStart(16, '0')).toBe(vector.step);
    });

    it.each(['sha1', 'sha256', 'sha512'] as const)('%s', async (algorithm) => {
      expect(await totpAt(SECRETS[algorithm], vector.time, { algorithm, digits: 8 })).toBe(vector[algorithm]);
    });
  });

  it.each(RFC_4226.map((code, counter) => ({ code, counter })))(
    'RFC 4226 Appendix D HOTP at counter $counter',
    async ({ code, counter }) => {
      expect(await hotpAt(SECRETS.sha1, counter)).toBe(code);
    },
  );

  it('6-digit TOTP is the last six digits of the 8-digit value (same truncation)', async () => {
    for (const { time, sha1 } of RFC_6238) expect(await totpAt(SECRETS.sha1, time)).toBe(sha1.slice(2));
  });

  it('TOTP is HOTP of the time step', async () => {
    expect(await totpAt(SECRETS.sha1, 59)).toBe(RFC_4226[1]);
    expect(await totpAt(SECRETS.sha1, 29)).toBe(RFC_4226[0]);
    expect(await totpAt(SECRETS.sha1, 60)).toBe(RFC_4226[2]);
  });

  it('reads codes as six digits, ignoring whitespace only', () => {
    expect(normalizeTotpCode('287082')).toBe('287082');
    expect(normalizeTotpCode(' 287 082 ')).toBe('287082');
    for (const bad of ['', '28708', '2870821', '28708a', '287-082', '２８７０８２', '0x1234', '1'.repeat(65)]) {
      expect(normalizeTotpCode(bad), bad).toBeNull();
    }
  });
});
