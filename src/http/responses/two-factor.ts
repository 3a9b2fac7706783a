import { z } from 'zod';
import type { TotpEnrolment } from '../../core/totp/enrol-totp.js';
import type { OperationResult } from '../../core/auth.js';
import { component } from '../openapi/components.js';
import type { Same } from './same.js';

/** `POST /account/two-factor/totp`: the pending authenticator secret. */
export const totpEnrolment = component(
  'TotpEnrolment',
  z.object({ secret: z.string(), uri: z.string(), qrCodeSvg: z.string() }),
  'A pending authenticator secret (base32), its `otpauth://` URI and that URI as an SVG QR code: shown only here.',
);

/** `POST /account/two-factor/totp/verify`, `PUT /account/recovery-codes`. */
export const recoveryCodes = component(
  'RecoveryCodes',
  z.object({ recoveryCodes: z.array(z.string()) }),
  'A fresh set of single-use recovery codes, shown once; every earlier code stops working.',
);

true satisfies Same<z.output<typeof totpEnrolment>, TotpEnrolment>;
true satisfies Same<z.output<typeof recoveryCodes>, OperationResult<'confirmTotp'>>;
true satisfies Same<z.output<typeof recoveryCodes>, OperationResult<'regenerateRecoveryCodes'>>;
