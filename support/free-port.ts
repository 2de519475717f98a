// A free loopback port, for servers that must know their port before they listen (the simulator
// whose base URL goes into its own webhooks, a live run's receiver named in HARNESS_PUBLIC_URL) and
// for apps under test started on a given PORT.
//
// The port comes from below the kernel's ephemeral range. A port the kernel picks for listen(0) is
// an ephemeral one, and until our server listens on it, any outgoing connection on the machine may
// take it as its local port: with many runs at once (the live-faults stage keeps dozens of picked
// ports for minutes) a receiver's BeforeAll then failed with EADDRINUSE. Outgoing connections never
// use ports outside the ephemeral range, so only another explicit pick can collide with ours.
import net from 'node:net';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';

const FLOOR = 15_000;
/** Ports this process handed out: not handed out twice, even if their server has not listened yet. */
const given = new Set<number>();

/** A port free on `host` (loopback unless told) that no other pick of this process got. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const ceiling = ephemeralLow();
  for (let attempt = 0; ceiling - FLOOR > 1_000 && attempt < 50; attempt++) {
    const port = FLOOR + randomInt(ceiling - FLOOR);
    if (given.has(port)) continue;
    given.add(port); // before the probe: a concurrent pick must not take it meanwhile
    if (await canListen(port, host)) return port;
    given.delete(port);
  }
  // A machine whose ephemeral range starts low (or a crowded one): the kernel's pick.
  return kernelPick(host);
}

/** The first port of the kernel's ephemeral range (Linux); elsewhere the IANA one's. */
export function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(low) && low > 0) return low;
  } catch {
    // not Linux
  }
  return 49_152;
}

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

function kernelPick(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
