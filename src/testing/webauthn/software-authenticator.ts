import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { type CborMap, encodeCbor } from './cbor.js';

/** ES256: ECDSA with P-256 and SHA-256 (COSE algorithm -7). */
const ES256 = -7;

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

/** How the authenticator behaves, for every ceremony (each can be overridden per ceremony). */
export interface SoftwareAuthenticatorOptions {
  /** The origin the "browser" reports in `clientDataJSON` (default `https://{rpId}`). */
  origin?: string;
  /** Whether the user is verified (PIN, biometrics): the UV flag. Default true. */
  userVerified?: boolean;
  /**
   * Whether credentials keep a signature counter that grows with every assertion (default true, like a
   * security key). False answers 0 every time, like a synced platform passkey.
   */
  signCounter?: boolean;
  /** Credentials are synced passkeys: backup eligible and backed up (BE and BS flags). Default false. */
  synced?: boolean;
  /** Transports reported at registration (default `['internal']`). */
  transports?: string[];
}

/** Per-ceremony knobs: what a misconfigured site, a phishing page or a tampered client would change. */
export interface CeremonyOverrides {
  /** The origin written into `clientDataJSON`. */
  origin?: string;
  /** The RP ID whose SHA-256 goes into the authenticator data (credentials are still looked up under the real one). */
  rpId?: string;
  /** The UV flag. */
  userVerified?: boolean;
  /** The UP flag (default true). */
  userPresent?: boolean;
  /** The challenge written into `clientDataJSON` instead of the one in the options. */
  challenge?: string;
}

/** Per-assertion knobs of {@link SoftwareAuthenticator.authenticate}, on top of the ceremony's. */
export interface AssertionOverrides extends CeremonyOverrides {
  /**
   * Which credential signs, regardless of `allowCredentials` (what a tampered client could do).
   * Default: the first allowed one this authenticator holds, or for a discoverable request its newest
   * discoverable credential for the RP ID.
   */
  credentialId?: string;
  /** The signature counter to report this time (the stored counter is set to it), e.g. to go backwards. */
  signCount?: number;
  /** The `userHandle` to return: a string, or null for none. Default: the user id of a discoverable credential. */
  userHandle?: string | null;
}

/** One credential the authenticator holds. */
export interface SoftwareCredential {
  /** base64url. */
  id: string;
  /** The relying party it was created for. */
  rpId: string;
  /** `user.id` of the registration options (base64url). */
  userHandle: string;
  /** Whether it was created as a discoverable (resident) credential. */
  discoverable: boolean;
  /** The signature counter as of its last assertion; it stays 0 with `signCounter: false`. */
  signCount: number;
}

/**
 * A WebAuthn authenticator in software, with the browser's part (`clientDataJSON`) included: it answers
 * the JSON options latchkey hands out with the JSON a browser posts back (`PublicKeyCredential.toJSON()`),
 * so passkey flows can be tested end to end without a browser. Keys are ES256 (P-256) made with
 * `node:crypto`; attestation is `none`.
 *
 * It checks what an authenticator checks (an excluded credential it holds → `InvalidStateError`, no
 * usable credential → `NotAllowedError`, no ES256 in `pubKeyCredParams` → `NotSupportedError`) but never
 * refuses for a missing user verification: set `userVerified: false` to test the server's answer.
 *
 * @example
 * ```ts
 * const authenticator = softwareAuthenticator({ origin: 'http://localhost:3000' })
 * const options = await auth.webauthnRegistrationOptions({ group, accountId })
 * await auth.verifyWebauthnRegistration({ group, accountId, credential: authenticator.register(options) })
 * const login = await auth.webauthnLoginOptions()
 * const tokens = await auth.verifyWebauthnLogin({ credential: authenticator.authenticate(login) })
 * ```
 */
export interface SoftwareAuthenticator {
  /** Answers registration options (`navigator.credentials.create()`), keeping the new credential. */
  register(options: PublicKeyCredentialCreationOptionsJSON, overrides?: CeremonyOverrides): RegistrationResponseJSON;
  /** Answers login options (`navigator.credentials.get()`) with a signed assertion. */
  authenticate(options: PublicKeyCredentialRequestOptionsJSON, overrides?: AssertionOverrides): AuthenticationResponseJSON;
  /** The credentials it holds, oldest first. */
  credentials(): SoftwareCredential[];
}

interface HeldCredential extends SoftwareCredential {
  privateKey: KeyObject;
}

/**
 * Makes a {@link SoftwareAuthenticator} that holds no credential yet.
 *
 * @example
 * ```ts
 * const authenticator = softwareAuthenticator({ origin: 'http://localhost:3000', synced: true });
 * ```
 */
export function softwareAuthenticator(options: SoftwareAuthenticatorOptions = {}): SoftwareAuthenticator {
  const held: HeldCredential[] = [];
  const transports = options.transports ?? ['internal'];
  const backupFlags = options.synced ? FLAG_BE | FLAG_BS : 0;

  const flags = (overrides: CeremonyOverrides, extra = 0): number =>
    (overrides.userPresent === false ? 0 : FLAG_UP) |
    ((overrides.userVerified ?? options.userVerified ?? true) ? FLAG_UV : 0) |
    backupFlags |
    extra;

  const clientData = (type: string, challenge: string, rpId: string, overrides: CeremonyOverrides): string =>
    b64url(
      JSON.stringify({
        type,
        challenge: overrides.challenge ?? challenge,
        origin: overrides.origin ?? options.origin ?? `https://${rpId}`,
        crossOrigin: false,
      }),
    );

  return {
    register(creation, overrides = {}) {
      const rpId = creation.rp.id ?? '';
      if (!creation.pubKeyCredParams.some((p) => p.alg === ES256)) {
        throw new DOMException('The authenticator supports ES256 only.', 'NotSupportedError');
      }
      const excluded = new Set((creation.excludeCredentials ?? []).map((c) => c.id));
      if (held.some((c) => c.rpId === rpId && excluded.has(c.id))) {
        throw new DOMException('The authenticator already holds an excluded credential.', 'InvalidStateError');
      }
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const id = randomBytes(32);
      const residentKey = creation.authenticatorSelection?.residentKey;
      const credential: HeldCredential = {
        id: b64url(id),
        rpId,
        userHandle: creation.user.id,
        discoverable: residentKey === 'required' || residentKey === 'preferred',
        signCount: 0,
        privateKey,
      };
      const jwk = publicKey.export({ format: 'jwk' });
      const coseKey: CborMap = new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, ES256], // alg
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]);
      const credentialIdLength = Buffer.alloc(2);
      credentialIdLength.writeUInt16BE(id.length);
      const authData = Buffer.concat([
        sha256(overrides.rpId ?? rpId),
        Buffer.from([flags(overrides, FLAG_AT)]),
        counterBytes(0),
        Buffer.alloc(16), // AAGUID: none
        credentialIdLength,
        id,
        encodeCbor(coseKey),
      ]);
      const attestationObject = encodeCbor(
        new Map<string, string | Uint8Array | CborMap>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', authData],
        ]),
      );
      held.push(credential);
      return {
        id: credential.id,
        rawId: credential.id,
        type: 'public-key',
        response: {
          clientDataJSON: clientData('webauthn.create', creation.challenge, rpId, overrides),
          attestationObject: b64url(attestationObject),
          authenticatorData: b64url(authData),
          transports: transports as RegistrationResponseJSON['response']['transports'],
          publicKeyAlgorithm: ES256,
          publicKey: b64url(publicKey.export({ format: 'der', type: 'spki' })),
        },
        clientExtensionResults: { credProps: { rk: credential.discoverable } },
        authenticatorAttachment: 'platform',
      };
    },

    authenticate(request, overrides = {}) {
      const rpId = request.rpId ?? '';
      const allowed = (request.allowCredentials ?? []).map((c) => c.id);
      const mine = held.filter((c) => c.rpId === rpId);
      const credential = overrides.credentialId
        ? held.find((c) => c.id === overrides.credentialId)
        : allowed.length > 0
          ? mine.find((c) => allowed.includes(c.id))
          : mine.filter((c) => c.discoverable).at(-1);
      if (!credential) throw new DOMException('No credential of this authenticator is allowed.', 'NotAllowedError');

      if (overrides.signCount !== undefined) credential.signCount = overrides.signCount;
      else if (options.signCounter !== false) credential.signCount += 1;
      const authData = Buffer.concat([
        sha256(overrides.rpId ?? rpId),
        Buffer.from([flags(overrides)]),
        counterBytes(credential.signCount),
      ]);
      const clientDataJSON = clientData('webauthn.get', request.challenge, rpId, overrides);
      const signed = Buffer.concat([authData, sha256(Buffer.from(clientDataJSON, 'base64url'))]);
      const userHandle =
        overrides.userHandle !== undefined ? overrides.userHandle : credential.discoverable ? credential.userHandle : null;
      return {
        id: credential.id,
        rawId: credential.id,
        type: 'public-key',
        response: {
          clientDataJSON,
          authenticatorData: b64url(authData),
          // DER-encoded ECDSA signature, as WebAuthn specifies for ES256.
          signature: b64url(sign('sha256', signed, credential.privateKey)),
          ...(userHandle === null ? {} : { userHandle }),
        },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
      };
    },

    credentials() {
      return held.map(({ privateKey: _privateKey, ...credential }) => ({ ...credential }));
    },
  };
}

function b64url(value: string | Uint8Array): string {
  return Buffer.from(value).toString('base64url');
}

function sha256(value: string | Uint8Array): Buffer {
  return createHash('sha256').update(value).digest();
}

function counterBytes(count: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(count >>> 0);
  return bytes;
}
