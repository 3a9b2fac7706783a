import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';
import { AuthError } from '../../errors.js';

const MAX_PHONE_LENGTH = 64;

/**
 * Turns a phone number as a person typed it into E.164 (`+447400123456`), the only form latchkey
 * stores and texts.
 *
 * A number in international form (`+44 7400 123456`) needs no `country`; a national one
 * (`07400 123456`, or `0044 7400 123456` dialled from the UK) is read as a number of `country`, an
 * ISO 3166-1 alpha-2 code (`GB`, case-insensitive); with an international number it is ignored.
 * Spaces, dashes and brackets are ignored. The number must be valid for its country (libphonenumber's
 * metadata: length and prefixes) or at least possible (the right length: ranges kept for drama and
 * testing, like the UK's 07700 900xxx, are "possible" but not "valid", and people use them to try
 * things out); whether it can receive text messages is not knowable here, so landlines are not
 * refused. Extensions are refused: a text cannot be sent to one.
 *
 * @throws AuthError `validation_failed` with details on `phone` or `country`
 * @example
 * ```ts
 * normalisePhone('07400 123456', 'GB') // '+447400123456'
 * normalisePhone('+1 (415) 555-2671')  // '+14155552671'
 * ```
 */
export function normalisePhone(phone: string, country?: string | null): string {
  const region = country === undefined || country === null || country === '' ? undefined : parseCountry(country);
  if (phone.length > MAX_PHONE_LENGTH) throw invalidPhone('is too long');
  const parsed = parsePhoneNumberFromString(phone, region ? { defaultCountry: region } : {});
  if (!parsed) {
    const international = region || phone.trim().startsWith('+');
    throw invalidPhone(international ? 'is not a phone number' : 'needs the international form (+44…) or a country');
  }
  if (parsed.ext) throw invalidPhone('must not have an extension');
  if (!parsed.isValid() && !parsed.isPossible()) throw invalidPhone('is not a valid phone number');
  return parsed.number;
}

function parseCountry(country: string): CountryCode {
  const code = country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code) || !isSupportedCountry(code)) {
    throw new AuthError('validation_failed', 'The country is not valid.', {
      details: [{ path: 'country', message: 'must be an ISO 3166-1 alpha-2 country code (GB, US …)' }],
    });
  }
  return code;
}

function invalidPhone(message: string): AuthError {
  return new AuthError('validation_failed', 'The phone number is not valid.', { details: [{ path: 'phone', message }] });
}
