/** The claims of a latchkey access token (RFC 9068 profile, `typ: at+jwt`). */
export interface AccessTokenClaims {
  iss: string;
  aud: string;
  /** Account id. */
  sub: string;
  /** Auth group. */
  grp: string;
  /** Session id: revoking the session kills the token on every check that looks. */
  sid: string;
  /** Authentication methods (`pwd`, `otp`, `hwk` …). */
  amr: string[];
  iat: number;
  exp: number;
  jti: string;
  /**
   * RFC 8693 actor: present only on a support session's token, naming the administrator acting as the
   * account. Such a token never administers, nor changes a credential, factor, role or email.
   */
  act?: { sub: string };
}
