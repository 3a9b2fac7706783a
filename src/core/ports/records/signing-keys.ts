/** The record of a key that signs a group's access tokens. */

/**
 * A key that signs a group's access tokens. Older generations stay, so tokens signed before a rotation
 * still verify until they expire; the public halves are the group's JWKS.
 */
export interface SigningKeyRecord {
  /** The JWK `kid`. */
  id: string;
  group: string;
  /** 1 for a group's first key, +1 on every rotation; the highest is the current key. */
  generation: number;
  /** The JWS algorithm the key signs with; a token that names another is refused. */
  alg: string;
  /** Public JWK, JSON. */
  publicJwk: string;
  /** Private JWK, JSON, sealed with a key derived from the `secret` option. */
  privateJwkSealed: string;
  createdAt: Date;
}
