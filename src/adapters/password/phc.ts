/**
 * The PHC string format (https://github.com/P-H-C/phc-string-format):
 * `$<id>[$v=<version>][$<param>=<value>(,<param>=<value>)*][$<salt>[$<hash>]]`, with salt and hash in
 * standard base64 without padding. Parsing is strict and never throws: anything malformed is `null`.
 */

/** A parsed PHC string. `params` keeps the order in which the string listed them. */
export interface PhcString {
  id: string;
  version?: number;
  params: Record<string, string>;
  salt?: Uint8Array;
  hash?: Uint8Array;
}

/** Longer strings are refused before any work: no real hash comes close. */
const MAX_LENGTH = 1024;
const NAME = /^[a-z0-9-]{1,32}$/;
const VALUE = /^[a-zA-Z0-9/+.-]*$/;
const B64 = /^[A-Za-z0-9+/]*$/;
const DECIMAL = /^(0|[1-9][0-9]{0,8})$/;

/**
 * Encodes bytes as standard base64 without padding, as PHC strings carry salts and hashes.
 *
 * @example
 * ```ts
 * encodeB64(new Uint8Array([1, 2, 3, 4])) // 'AQIDBA'
 * ```
 */
export function encodeB64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/=+$/, '');
}

/**
 * Decodes unpadded standard base64; null for anything else, including non-canonical encodings (unused
 * trailing bits set), so that one hash has exactly one spelling.
 *
 * @example
 * ```ts
 * decodeB64('AQIDBA') // Uint8Array [1, 2, 3, 4]
 * decodeB64('AQIDBA==') // null: padding is not allowed
 * ```
 */
export function decodeB64(text: string): Uint8Array | null {
  if (!B64.test(text) || text.length % 4 === 1) return null;
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return encodeB64(bytes) === text ? bytes : null;
}

/**
 * Reads a PHC decimal parameter value (no sign, no leading zeros, at most nine digits); null otherwise.
 *
 * @example
 * ```ts
 * parseDecimal('14') // 14
 * parseDecimal('014') // null
 * ```
 */
export function parseDecimal(value: string | undefined): number | null {
  return value !== undefined && DECIMAL.test(value) ? Number(value) : null;
}

/**
 * Parses a PHC string; null (never a throw) when it is malformed.
 *
 * @example
 * ```ts
 * parsePhc('$scrypt$ln=14,r=8,p=5$c2FsdHNhbHQ$aGFzaA')
 * // { id: 'scrypt', params: { ln: '14', r: '8', p: '5' }, salt: Uint8Array, hash: Uint8Array }
 * ```
 */
export function parsePhc(text: string): PhcString | null {
  if (typeof text !== 'string' || text.length > MAX_LENGTH) return null;
  const fields = text.split('$');
  const id = fields[1];
  if (fields[0] !== '' || id === undefined || !NAME.test(id)) return null;
  const result: PhcString = { id, params: {} };
  let i = 2;

  const versionField = fields[i];
  if (versionField?.startsWith('v=')) {
    const version = parseDecimal(versionField.slice(2));
    if (version === null) return null;
    result.version = version;
    i++;
  }

  const paramsField = fields[i];
  if (paramsField?.includes('=')) {
    for (const pair of paramsField.split(',')) {
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (eq < 0 || !NAME.test(name) || !VALUE.test(value) || Object.hasOwn(result.params, name)) return null;
      result.params[name] = value;
    }
    i++;
  }

  for (const key of ['salt', 'hash'] as const) {
    const field = fields[i];
    if (field === undefined) break;
    const bytes = decodeB64(field);
    if (bytes === null) return null;
    result[key] = bytes;
    i++;
  }

  return i === fields.length ? result : null;
}

/**
 * Writes a PHC string. Parameter values are written as given (numbers in decimal).
 *
 * @example
 * ```ts
 * formatPhc({ id: 'scrypt', params: { ln: 14, r: 8, p: 5 }, salt, hash })
 * // '$scrypt$ln=14,r=8,p=5$<salt>$<hash>'
 * ```
 */
export function formatPhc(phc: {
  id: string;
  version?: number;
  params?: Record<string, string | number>;
  salt?: Uint8Array;
  hash?: Uint8Array;
}): string {
  let text = `$${phc.id}`;
  if (phc.version !== undefined) text += `$v=${phc.version}`;
  const params = Object.entries(phc.params ?? {});
  if (params.length > 0) text += `$${params.map(([name, value]) => `${name}=${value}`).join(',')}`;
  if (phc.salt !== undefined) {
    text += `$${encodeB64(phc.salt)}`;
    if (phc.hash !== undefined) text += `$${encodeB64(phc.hash)}`;
  }
  return text;
}
