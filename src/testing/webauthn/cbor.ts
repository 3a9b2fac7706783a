/**
 * A CBOR value the software authenticator writes (RFC 8949): unsigned and negative integers, byte
 * strings, text strings and maps with integer or text keys, in the order given. That is all
 * attestation objects and COSE keys need, so `@simplewebauthn/server/helpers` (slow to load) stays out
 * of app test runs.
 */
export type CborValue = number | string | Uint8Array | CborMap;
export type CborMap = Map<number | string, CborValue>;

/** Encodes `value` (maps keep their insertion order: give keys in CTAP2 canonical order). */
export function encodeCbor(value: CborValue): Uint8Array {
  const out: number[] = [];
  write(out, value);
  return Uint8Array.from(out);
}

function write(out: number[], value: CborValue): void {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError('encodeCbor: only integers are supported');
    if (value >= 0) head(out, 0, value);
    else head(out, 1, -1 - value);
  } else if (typeof value === 'string') {
    const bytes = new TextEncoder().encode(value);
    head(out, 3, bytes.length);
    out.push(...bytes);
  } else if (value instanceof Uint8Array) {
    head(out, 2, value.length);
    for (const byte of value) out.push(byte);
  } else {
    head(out, 5, value.size);
    for (const [key, item] of value) {
      write(out, key);
      write(out, item);
    }
  }
}

/** The initial byte (major type, length) and the length's following bytes, big-endian. */
function head(out: number[], major: number, length: number): void {
  const type = major << 5;
  if (length < 24) out.push(type | length);
  else if (length < 0x100) out.push(type | 24, length);
  else if (length < 0x10000) out.push(type | 25, length >> 8, length & 0xff);
  else if (length < 0x100000000) out.push(type | 26, ...bigEndian(length, 4));
  else out.push(type | 27, ...bigEndian(length, 8));
}

function bigEndian(value: number, bytes: number): number[] {
  const out: number[] = [];
  let rest = BigInt(value);
  for (let i = 0; i < bytes; i++) {
    out.unshift(Number(rest & 0xffn));
    rest >>= 8n;
  }
  return out;
}
