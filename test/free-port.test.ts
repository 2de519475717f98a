// Ports handed to receivers that listen later must not be ones an outgoing connection can take
// meanwhile (the kernel's ephemeral range), and one process must not hand out the same port twice.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { ephemeralLow, freePort } from '../support/free-port';

test('free ports come from below the ephemeral range and are never handed out twice', async () => {
  const low = ephemeralLow();
  const ports = await Promise.all(Array.from({ length: 40 }, () => freePort()));
  assert.equal(new Set(ports).size, ports.length, `a port was handed out twice: ${ports.join(' ')}`);
  if (low > 16_000) for (const p of ports) assert.ok(p < low, `port ${p} is in the ephemeral range (from ${low})`);
});

test('a handed-out port can be listened on', async () => {
  const port = await freePort();
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  await new Promise((resolve) => server.close(resolve));
});
