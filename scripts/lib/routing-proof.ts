// Proof that apps as teams write them reach the simulator unmodified: the official Node SDK, 1.x and
// 2.x from the registry, a plain fetch and a Python stdlib app, each calling FreeClimb's default URL,
// with nothing but the routing's environment. The simulator is the real one, on its HTTP server,
// and must have served every request, each marked with the route it came by.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/free-port';
import { startRouting, type RouteKind } from '../../support/app-gate/routing';
import { createSimulator } from '../../support/simulator';
import { listen, type ServedRequest } from '../../support/simulator/adapters/http-server';
import { ROOT } from './cucumber-run';
import { runProcess } from './exec';

export const SDK_APPS = join(ROOT, 'test', 'fixtures', 'sdk-apps');

interface App {
  name: string;
  cmd: string;
  args: string[];
  route: RouteKind;
  /** The requests it makes, in order: method and path after the account. */
  expect: string[];
}

const SDK_REQUESTS = ['POST /Conferences', 'GET /Conferences', 'POST /Conferences/{id}'];
const APPS: App[] = [
  { name: '@freeclimb/sdk 1.2.0', cmd: process.execPath, args: ['sdk-app.js', 'sdk1'], route: 'preload', expect: SDK_REQUESTS },
  { name: '@freeclimb/sdk 2.1.3', cmd: process.execPath, args: ['sdk-app.js', 'sdk2'], route: 'preload', expect: SDK_REQUESTS },
  { name: 'global fetch', cmd: process.execPath, args: ['fetch-app.js'], route: 'preload', expect: ['POST /Conferences'] },
  { name: 'Python urllib', cmd: 'python3', args: ['urllib-app.py'], route: 'proxy', expect: ['POST /Conferences'] },
];

export async function routingProof(): Promise<{ ok: boolean; detail: string[] }> {
  const detail: string[] = [];
  if (!existsSync(join(SDK_APPS, 'node_modules'))) {
    const install = await runProcess('npm', ['ci', '--no-audit', '--no-fund'], process.env, SDK_APPS);
    if (install.code !== 0) return { ok: false, detail: [`npm ci in ${SDK_APPS} failed:`, install.output.trim()] };
  }
  const port = await freePort();
  const sim = createSimulator({ apiBaseUrl: `http://127.0.0.1:${port}/apiserver` });
  const served: ServedRequest[] = [];
  const server = await listen(sim, { port, onRequest: (r) => served.push(r) });
  const dir = mkdtempSync(join(tmpdir(), 'fch-routing-proof-'));
  const routing = await startRouting({ simApiBaseUrl: server.apiBaseUrl, dir, enabled: true });
  // The conferences' statusCallbackUrl: the simulator's webhooks get the 204 an app would answer.
  const hooks = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  const { accountId, apiKey } = sim.credentials();
  // No FREECLIMB_API_BASE_URL: the apps must be reached at FreeClimb's own URL.
  const env = {
    ...process.env,
    ...routing.env,
    FREECLIMB_ACCOUNT_ID: accountId,
    FREECLIMB_API_KEY: apiKey,
    STATUS_URL: `http://127.0.0.1:${(hooks.address() as { port: number }).port}/status`,
  };
  const hide = (text: string) => text.split(apiKey).join('<api key>').trim();
  let ok = true;
  try {
    for (const app of APPS) {
      const mark = served.length;
      const { code, output } = await runProcess(app.cmd, app.args, env, SDK_APPS);
      const mine = served.slice(mark);
      const got = mine.map((r) => `${r.method} ${shortPath(r.url)}`);
      const routes = [...new Set(mine.map((r) => r.route ?? 'none'))];
      const good =
        code === 0 &&
        got.join(', ') === app.expect.join(', ') &&
        mine.every((r) => r.route === app.route && r.status < 300);
      ok &&= good;
      detail.push(`${good ? '✓' : '✗'} ${app.name}: ${mine.length} request(s) via ${routes.join('/') || 'nothing'} (expected ${app.expect.length} via ${app.route}): ${mine.map((r) => `${r.method} ${shortPath(r.url)} → ${r.status}`).join(', ') || 'none reached the simulator'}`);
      if (!good) detail.push(`  exit ${code}: ${hide(output).split('\n').slice(-5).join('\n  ')}`);
    }
    for (const f of routing.failures()) {
      ok = false;
      detail.push(`✗ routing failure (${f.route}): ${hide(f.url)}: ${hide(f.error)}`);
    }
  } finally {
    await routing.close();
    await server.close();
    hooks.closeAllConnections();
    await new Promise((resolve) => hooks.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
  return { ok, detail };
}

function shortPath(url: string): string {
  return url
    .replace(/^\/apiserver\/Accounts\/[^/]+/, '')
    .replace(/\?.*$/, '')
    .replace(/\/(CF|CA|QU|PN|AP)[0-9a-f]+/gi, '/{id}');
}
