/**
 * A round-robin TCP proxy, the load balancer in front of two app instances: each new client connection
 * goes to the next upstream in turn and stays with it (so HTTP keep-alive sticks to one instance), and
 * bytes are piped both ways unchanged. No HTTP parsing, no health checks, no retries.
 * argv: <port> <upstream port>... (all on 127.0.0.1). Prints `ready` on stdout once listening.
 */
import { connect, createServer, type Socket } from 'node:net';

const [port, ...upstreams] = process.argv.slice(2).map(Number);
if (!port || upstreams.length === 0) throw new Error('usage: round-robin.ts <port> <upstream port>...');

let next = 0;
const open = new Set<Socket>();

const server = createServer((client) => {
  const upstream = connect(upstreams[next++ % upstreams.length]!, '127.0.0.1');
  for (const socket of [client, upstream]) {
    socket.setNoDelay(true);
    open.add(socket);
    // Either side closing or failing ends the pair: the other side sees its connection drop, as behind a
    // real balancer.
    socket.on('error', () => {});
    socket.on('close', () => {
      open.delete(socket);
      client.destroy();
      upstream.destroy();
    });
  }
  client.pipe(upstream);
  upstream.pipe(client);
});

server.listen(port, '127.0.0.1', () => console.log(`ready ${port}`));
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    for (const socket of open) socket.destroy();
    server.close(() => process.exit(0));
  });
}
process.on('disconnect', () => process.exit(0));
