import { createServer } from 'node:net';
import { ExampleStartError } from './mode.js';

/** Where a demo server listens. */
export interface ListenAddress {
  port: number;
  host: string;
}

/** How a demo server is started, for the hints of its start-up errors. */
export interface StartCommand {
  /** What starts it: `npm start`, `npm run start:express`… */
  command: string;
  /** Its port when `PORT` is unset. */
  defaultPort: number;
}

/**
 * Where to listen: `PORT` (else `defaultPort`) on `HOST` (else loopback only).
 *
 * @throws ExampleStartError when `PORT` is not a port number
 */
export function listenAddress(defaultPort: number, env: NodeJS.ProcessEnv = process.env): ListenAddress {
  const port = env.PORT ? Number(env.PORT) : defaultPort;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ExampleStartError(`PORT must be a port number (0 to 65535), got ${env.PORT}.`);
  }
  return { port, host: env.HOST || '127.0.0.1' };
}

/** The URL to print: loopback reads better as `localhost`, which is what the README tells people to open. */
export function displayUrl(host: string, port: number): string {
  const shown = host === '127.0.0.1' || host === '::1' || host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

/**
 * `listenAddress`, and a check that the port can be listened on, made before the demo opens its
 * database or writes anything, so that a port in use stops it at once with the fix (see
 * {@link listenStartError}). The server's own `listen` still reports the port taken in between.
 *
 * @throws ExampleStartError for a bad `PORT`, a port in use or not allowed, a `HOST` not of this machine
 * @example
 * ```ts
 * const { port, host } = await checkedListenAddress({ command: 'npm start', defaultPort: 3000 }).catch(exitOnStartError);
 * ```
 */
export async function checkedListenAddress(start: StartCommand, env: NodeJS.ProcessEnv = process.env): Promise<ListenAddress> {
  const address = listenAddress(start.defaultPort, env);
  if (address.port === 0) return address; // any free port: nothing to check
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(address.port, address.host, resolve);
    });
  } catch (error) {
    throw listenStartError(error, address, start);
  }
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return address;
}

/**
 * What a failed `listen` means for the person starting the demo, as an {@link ExampleStartError} of one
 * line that says what to change: the port in use, or not allowed, and the command with another `PORT`;
 * a `HOST` that is not an address of this machine. Any other error comes back as it is.
 *
 * @example
 * ```ts
 * server.once('error', (error) => exitOnStartError(listenStartError(error, { port, host }, start)));
 * // [example] Port 3000 on 127.0.0.1 is already in use: stop what is using it, or pick another port: PORT=3001 npm start
 * ```
 */
export function listenStartError(error: unknown, { port, host }: ListenAddress, start: StartCommand): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const next = port === 65_535 ? port - 1 : port + 1;
  switch (code) {
    case 'EADDRINUSE':
      return new ExampleStartError(
        `Port ${port} on ${host} is already in use: stop what is using it, or pick another port: PORT=${next} ${start.command}`,
        { cause: error },
      );
    case 'EACCES':
      return new ExampleStartError(
        `Port ${port} on ${host} needs privileges this process does not have (ports below 1024 usually do): ` +
          `pick another port: PORT=${port === start.defaultPort ? next : start.defaultPort} ${start.command}`,
        { cause: error },
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ExampleStartError(
        `HOST=${host} is not an address of this machine: leave HOST unset to listen on 127.0.0.1 (this machine only), or set HOST=0.0.0.0 (every interface).`,
        { cause: error },
      );
    default:
      return error;
  }
}
