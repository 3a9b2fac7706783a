import { assertTrustProxy, type TrustProxy } from '../../src/http/client-ip.js';
import { ExampleStartError } from './mode.js';

/** The demo's client-address setting, from `TRUST_PROXY`. */
export interface ExampleTrustProxy {
  /** latchkey's `trustProxy` (see {@link TrustProxy}): false, a number of hops (`true` is 1), or a list. */
  trustProxy: TrustProxy;
  /** The start-up line's account of whose address is the client's. */
  description: string;
}

const USAGE =
  'TRUST_PROXY must be true (one proxy), a number of proxy hops, or a comma-separated list of the proxies\' addresses or CIDRs (10.0.0.0/8,::1)';

/**
 * Which proxies in front of the demo are trusted to say who the client is (`X-Forwarded-For`), from
 * `TRUST_PROXY`: unset, empty, `false` or `0`: none, the socket's address is the client's; `true`: one
 * proxy hop; a whole number `n`: `n` hops; anything else: a comma-separated list of the proxies'
 * addresses and CIDRs, each checked with latchkey's `assertTrustProxy`. Read before anything is opened.
 *
 * @throws ExampleStartError when the value is none of these (a list entry that is not an address or CIDR)
 * @example
 * ```ts
 * exampleTrustProxy({}).trustProxy                                      // false
 * exampleTrustProxy({ TRUST_PROXY: 'true' }).trustProxy                 // true
 * exampleTrustProxy({ TRUST_PROXY: '2' }).trustProxy                    // 2
 * exampleTrustProxy({ TRUST_PROXY: '10.0.0.0/8, ::1' }).trustProxy      // ['10.0.0.0/8', '::1']
 * exampleTrustProxy({ TRUST_PROXY: 'yes' })                             // throws
 * ```
 */
export function exampleTrustProxy(env: NodeJS.ProcessEnv): ExampleTrustProxy {
  const raw = env.TRUST_PROXY?.trim() ?? '';
  const text = raw.toLowerCase();
  if (text === '' || text === 'false' || /^0+$/.test(text)) {
    return { trustProxy: false, description: "the socket's address; X-Forwarded-For is ignored (TRUST_PROXY unset)" };
  }
  if (text === 'true') {
    return { trustProxy: true, description: 'the address one proxy hop back, from X-Forwarded-For (TRUST_PROXY=true)' };
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    check(hops, raw);
    return { trustProxy: hops, description: `the address ${hops} proxy hop${hops === 1 ? '' : 's'} back, from X-Forwarded-For (TRUST_PROXY=${hops})` };
  }
  const list = raw.split(',').map((entry) => entry.trim());
  if (list.some((entry) => entry === '')) throw new ExampleStartError(`${USAGE}; got ${raw}, which has an empty entry.`);
  check(list, raw);
  return {
    trustProxy: list,
    description: `from X-Forwarded-For through the trusted proxies ${list.join(', ')}; the socket's address otherwise (TRUST_PROXY)`,
  };
}

/** latchkey's own check, its refusal as the demo's one start-up line. */
function check(trust: TrustProxy, raw: string): void {
  try {
    assertTrustProxy(trust);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^trustProxy: /, '') : String(error);
    throw new ExampleStartError(`${USAGE}; got ${raw}: ${reason}.`, { cause: error });
  }
}

/**
 * The setting as Express's `app.set('trust proxy', …)` takes it, with latchkey's meaning. Express reads
 * `true` as "trust every hop" (the left-most, client-written `X-Forwarded-For` entry), so latchkey's
 * `true` becomes 1 hop; a number of hops and a list of addresses and CIDRs mean the same to Express
 * (proxy-addr) as to latchkey.
 *
 * @example
 * ```ts
 * expressTrustProxy(true)            // 1
 * expressTrustProxy(['10.0.0.0/8'])  // ['10.0.0.0/8']
 * ```
 */
export function expressTrustProxy(trust: TrustProxy | undefined): false | number | string[] {
  if (!trust) return false;
  if (trust === true) return 1;
  if (typeof trust === 'number') return trust;
  return [...trust];
}

/**
 * The setting as Fastify's `trustProxy` option takes it, with latchkey's meaning. Fastify reads `true` as
 * "trust every hop", and a number as "trust nothing" (Fastify 5), so a number of hops `n` (and `true`,
 * 1) becomes proxy-addr's test for it, "the `n` hops nearest the socket are proxies"; a list of
 * addresses and CIDRs means the same to Fastify (proxy-addr) as to latchkey.
 *
 * @example
 * ```ts
 * fastifyTrustProxy(2)                 // (address, hop) => hop < 2
 * fastifyTrustProxy(['10.0.0.0/8'])    // ['10.0.0.0/8']
 * ```
 */
export function fastifyTrustProxy(trust: TrustProxy | undefined): false | string[] | ((address: string, hop: number) => boolean) {
  if (!trust) return false;
  if (typeof trust === 'object') return [...trust];
  const hops = trust === true ? 1 : trust;
  return (_address, hop) => hop < hops;
}
