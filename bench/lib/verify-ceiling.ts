/**
 * latchkey's stateless `verifyAccessToken` against bare jose, in the runner process, with the same
 * concurrency: what latchkey adds to the signature check (key lookup by kid, claim and group checks).
 * With `cache` off every call checks the signature; with it on (the default) only the first does.
 */
import { createAuth } from '../../src/index.js';
import { memoryStorage } from '../../src/memory.js';
import { scryptHasher } from '../../src/adapters/password/scrypt.js';
import { PASSWORD } from './requests.js';
import { ratePerSecond } from './rate.js';

export async function latchkeyVerifyRate(seconds: number, cache: boolean, inFlight = 32): Promise<number> {
  const auth = createAuth({
    verifiedTokenCache: cache ? 10_000 : 0,
    storage: memoryStorage(),
    secret: 'Vb3fQm8xKp2RzT6nWc9LhJd4YsGa7Ue1NkXo5Pi0',
    passwordHasher: scryptHasher({ ln: 10, r: 8, p: 1 }),
    // The registration's verification mail, taken and dropped: no warning in the bench's output.
    mailer: { send: async () => {} },
  });
  await auth.register({ email: 'verify@bench.test', password: PASSWORD });
  const { accessToken } = await auth.login({ email: 'verify@bench.test', password: PASSWORD });
  const verify = () => auth.verifyAccessToken(accessToken, { checkRevocation: false });
  for (let i = 0; i < 200; i++) await verify();
  return ratePerSecond(seconds, inFlight, () => verify());
}
