// What routing costs an app: the same REST requests from a child Node process, sent to FreeClimb's
// default URL and routed by the preload, against the same requests sent straight to the simulator's
// URL (FREECLIMB_API_BASE_URL), in one run against one simulator. The direct requests are measured
// twice: in a plain Node, and with the preload loaded (what an app that reads the base URL pays in
// the gate, since every app gets the preload).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/free-port';
import { startRouting } from '../../support/app-gate/routing';
import { createSimulator } from '../../support/simulator';
import { listen } from '../../support/simulator/adapters/http-server';
import { runProcess } from './exec';

export interface RoutingBench {
  /** Requests per measured run (each kind runs ROUNDS times, interleaved; the medians are kept). */
  requests: number;
  /** Per request, through the preload. */
  routedMs: number;
  /** Per request, to the simulator's URL, with the preload loaded. */
  directWithPreloadMs: number;
  /** Per request, to the simulator's URL, in a Node without the preload. */
  directMs: number;
  /** routedMs / directMs. */
  ratio: number;
}

// Sequential GETs, as an app's calls are, sent the way the official SDK sends them (http/https
// modules, its own https agent; to the base URL, Node's default agent); the first few unmeasured.
const CLIENT = `
const [url, auth, n] = [process.argv[1], process.argv[2], Number(process.argv[3])];
const https = url.startsWith('https:');
const agent = https ? new (require('https').Agent)() : undefined;
(async () => {
  const once = () => new Promise((resolve, reject) => {
    require(https ? 'https' : 'http').get(url, { headers: { Authorization: auth }, agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error('HTTP ' + res.statusCode))));
    }).on('error', reject);
  });
  for (let i = 0; i < 10; i++) await once();
  const t = performance.now();
  for (let i = 0; i < n; i++) await once();
  console.log((performance.now() - t) / n);
})().catch((e) => { console.error(e.message); process.exit(1); });
`;

const ROUNDS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchRouting(requests = 300): Promise<RoutingBench> {
  const port = await freePort();
  const sim = createSimulator({ apiBaseUrl: `http://127.0.0.1:${port}/apiserver` });
  const server = await listen(sim, { port });
  const dir = mkdtempSync(join(tmpdir(), 'fch-bench-routing-'));
  const routing = await startRouting({ simApiBaseUrl: server.apiBaseUrl, dir, enabled: true });
  const { accountId, apiKey } = sim.credentials();
  const auth = `Basic ${Buffer.from(`${accountId}:${apiKey}`).toString('base64')}`;
  const path = `/Accounts/${accountId}/Conferences`;
  const measure = async (base: string, env: Record<string, string>): Promise<number> => {
    const { code, output } = await runProcess(process.execPath, ['-e', CLIENT, `${base}${path}`, auth, String(requests)], { ...process.env, ...env });
    if (code !== 0) throw new Error(`the routing bench's client failed: ${output.split(apiKey).join('<api key>').trim()}`);
    return Number(output.trim());
  };
  try {
    // Interleaved rounds and medians: a busy machine slows whichever kind runs in its bad moment.
    const runs: { direct: number[]; directWithPreload: number[]; routed: number[] } = { direct: [], directWithPreload: [], routed: [] };
    for (let round = 0; round < ROUNDS; round++) {
      runs.direct.push(await measure(server.apiBaseUrl, {}));
      runs.directWithPreload.push(await measure(server.apiBaseUrl, routing.env));
      runs.routed.push(await measure('https://www.freeclimb.com/apiserver', routing.env));
    }
    if (routing.failures().length > 0) throw new Error(`routing failed during the bench: ${routing.failures().map((f) => `${f.url}: ${f.error}`).join('; ')}`);
    const [directMs, directWithPreloadMs, routedMs] = [median(runs.direct), median(runs.directWithPreload), median(runs.routed)];
    return { requests, routedMs, directWithPreloadMs, directMs, ratio: routedMs / directMs };
  } finally {
    await routing.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
