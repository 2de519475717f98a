// `fch mock`: the simulator on a real port, for apps in another process or language. Prints ONE
// JSON line on stdout (where the API is, and the simulator's credentials, which are deliberately
// public: they only unlock this simulator) and logs each REST request and webhook to stderr.
import { freePort } from '../free-port';
import { listen, type ServerHandle } from './adapters/http-server';
import { FAULT_NAMES, parseFault } from './faults';
import { createSimulator, type Delivery, type Simulator } from './index';
import { describeVariants, parseVariants } from './variants';

export const MOCK_USAGE = `usage: fch mock [--port N] [--host 127.0.0.1] [--variant axis=option]... [--fault name]
                [--number +1555…]... [--speed N] [--account-id AC…] [--api-key K] [--signing-secret S]`;

export interface MockOptions {
  port: number;
  host: string;
  variants: string;
  fault: string | undefined;
  numbers: string[];
  speed: number;
  accountId?: string;
  apiKey?: string;
  signingSecret?: string;
}

const DEFAULT_NUMBERS = ['+15550100001', '+15550100002'];
const FLAGS = ['--port', '--host', '--variant', '--fault', '--number', '--speed', '--account-id', '--api-key', '--signing-secret'];

class UsageError extends Error {}

/** Parse `fch mock` arguments; throws UsageError naming the argument and what is allowed. */
export function parseMockArgs(args: string[]): MockOptions {
  const opts: MockOptions = { port: 0, host: '127.0.0.1', variants: '', fault: undefined, numbers: [], speed: 1 };
  const variants: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].startsWith('--') && args[i].includes('=') ? [args[i].slice(0, args[i].indexOf('=')), args[i].slice(args[i].indexOf('=') + 1)] : [args[i], undefined];
    if (!FLAGS.includes(flag)) throw new UsageError(`unknown argument "${args[i]}"; allowed: ${FLAGS.join(', ')}`);
    const value = inline ?? args[++i];
    if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
    switch (flag) {
      case '--port':
        if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`--port "${value}" is not a port; allowed: 0 (any free port) to 65535`);
        opts.port = Number(value);
        break;
      case '--host':
        opts.host = value;
        break;
      case '--variant':
        variants.push(value);
        break;
      case '--fault':
        opts.fault = value;
        break;
      case '--number':
        if (!/^\+[1-9]\d{1,14}$/.test(value)) throw new UsageError(`--number "${value}" is not an E.164 number such as +15550100001`);
        opts.numbers.push(value);
        break;
      case '--speed':
        if (!(Number(value) > 0) || !Number.isFinite(Number(value))) throw new UsageError(`--speed "${value}" must be a positive number (1 = real time, 60 = a minute per second)`);
        opts.speed = Number(value);
        break;
      case '--account-id':
        // The form FreeClimb gives account ids, and the one live mode's FREECLIMB_ACCOUNT_ID takes:
        // a stand-in that accepted more would hand out an id the harness then refuses.
        if (!/^AC[0-9a-fA-F]{40}$/.test(value)) throw new UsageError(`--account-id "${value}" must be AC followed by 40 hex digits, as FreeClimb's account ids are`);
        opts.accountId = value;
        break;
      case '--api-key':
        opts.apiKey = value;
        break;
      case '--signing-secret':
        opts.signingSecret = value;
        break;
    }
  }
  opts.variants = variants.join(',');
  try {
    parseVariants(opts.variants);
  } catch (e) {
    throw new UsageError(`--variant: ${(e as Error).message}`);
  }
  try {
    parseFault(opts.fault);
  } catch {
    throw new UsageError(`--fault "${opts.fault}" is not a fault; allowed: ${FAULT_NAMES.join(', ')}`);
  }
  if (opts.numbers.length === 0) opts.numbers = DEFAULT_NUMBERS;
  return opts;
}

export async function runMockServer(args: string[]): Promise<number | 'running'> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${MOCK_USAGE}\n`);
    return 0;
  }
  let opts: MockOptions;
  try {
    opts = parseMockArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`fch mock: ${e.message}\n${MOCK_USAGE}\n`);
    return 2;
  }

  let sim: Simulator;
  let server: ServerHandle;
  try {
    ({ sim, server } = await start(opts));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'EADDRINUSE' ? `port ${opts.port} on ${opts.host} is already in use; pick another --port or 0 for any free port` : err.message;
    process.stderr.write(`fch mock: cannot listen: ${why}\n`);
    return 1;
  }

  const { accountId, apiKey, signingSecret } = sim.credentials();
  const banner = { apiBaseUrl: server.apiBaseUrl, accountId, apiKey, signingSecret, numbers: opts.numbers, variants: describeVariants(sim.variants), fault: sim.fault ?? null };
  process.stdout.write(`${JSON.stringify(banner)}\n`);
  log(`listening on ${server.apiBaseUrl} (variants ${banner.variants}, fault ${banner.fault ?? 'none'}, speed ${opts.speed})`);

  const webhookLog = setInterval(() => logDeliveries(sim), 100);
  webhookLog.unref();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(webhookLog);
    logDeliveries(sim);
    log(`${signal}: closing`);
    // Closing waits for open sockets; don't let a stuck one keep the process alive.
    setTimeout(() => process.exit(0), 2000).unref();
    void server.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return 'running';
}

/** Build the simulator with its real base URL, so the URLs it hands out (recordings) point here. */
async function start(opts: MockOptions): Promise<{ sim: Simulator; server: ServerHandle }> {
  // With port 0 the port is only known after listening, so reserve a free one first; retry on the
  // rare race where someone else takes it in between.
  for (let attempt = 1; ; attempt++) {
    const port = opts.port || (await freePort(opts.host));
    const urlHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
    const sim = createSimulator({
      apiBaseUrl: `http://${urlHost}:${port}/apiserver`,
      variants: opts.variants,
      fault: opts.fault,
      numbers: opts.numbers,
      accountId: opts.accountId,
      apiKey: opts.apiKey,
      signingSecret: opts.signingSecret,
    });
    logRequests(sim);
    try {
      return { sim, server: await listen(sim, { port, host: opts.host, speed: opts.speed }) };
    } catch (e) {
      sim.close();
      if (opts.port || attempt >= 5 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    }
  }
}

/** One stderr line per REST request: method, path, status. */
function logRequests(sim: Simulator): void {
  const handle = sim.handle.bind(sim);
  sim.handle = (req) => {
    const res = handle(req);
    log(`${req.method} ${req.url} ${res.status}`);
    return res;
  };
}

/** One stderr line per answered webhook, in delivery order. */
const logged = new WeakMap<Simulator, number>();
function logDeliveries(sim: Simulator): void {
  let i = logged.get(sim) ?? 0;
  for (let d: Delivery | undefined; (d = sim.deliveries[i]) && (d.status !== undefined || d.error !== undefined); i++) {
    log(`webhook #${d.seq} ${d.requestType} → ${d.url} ${d.error ?? d.status}`);
  }
  logged.set(sim, i);
}

function log(line: string): void {
  process.stderr.write(`[fch mock ${new Date().toISOString()}] ${line}\n`);
}
