// The `app-live` self-check stage (issue 24): `fch app test --live` proven without FreeClimb. Each
// gate run gets its own simulator served over HTTP as the account (support/simulator/adapters/
// http-server.ts, 5× real time), its own public port for the harness's front and its own app port:
// FreeClimb's webhooks go from the simulator to the front and on to the app, the app's REST requests
// go to the simulator, all real HTTP on loopback, no nock. The stage proves: setup idempotent, doctor
// green; each correct example green with its unplayable scenarios skipped for a reason; each seeded
// bug that bugs.json declares live-observable red in exactly its declared scenarios; the app's own
// signature check passing on forwarded requests (and failing every webhook when the app holds the
// wrong secret); a URL built from another host reported; `--parallel N` (several workers, each with
// its own copy of the app, behind one front and one call cap) green and routing every request to its
// worker; Ctrl-C (with two workers) leaving no call or conference; no
// secret in any file written; and `fch report`'s live-vs-mock comparison empty for the correct
// conference-line against its mock gate, and showing a planted difference (a simulator reading that
// sends one webhook fewer). Cost: the setup proof runs beside the gate runs, only it runs `fch app
// live setup` as a process (the others set up in process), and the runs whose every scenario is red
// by design (wrong secret, own host, Ctrl-C) play one feature.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readCucumberJson, type GateScenarioResult } from '../support/report/cucumber-results';
import { describeDifference } from '../support/report/conversation-diff';
import { scenarioText, writeLiveVsMock } from '../support/report/live-vs-mock';
import { mergeResultsDirs } from '../support/report/merge-results';
import { startResults } from '../support/results-dir';
import { runAppLiveSetup } from '../support/app-gate/live/account';
import { loadAppLiveConfig } from '../support/app-gate/live/live-config';
import { loadConfig } from '../support/config';
import { startRouting } from '../support/app-gate/routing';
import { freePort } from '../support/free-port';
import { createSimulator, type Simulator } from '../support/simulator';
import { listen, type ServerHandle } from '../support/simulator/adapters/http-server';
import { BugsFile } from './lib/bug-proof';
import { compiledFch } from './lib/compiled';
import { pool, ROOT } from './lib/cucumber-run';
import { AGENT_LINE, CONFERENCE_LINE, copyExample, installExample, JOIN_DIGITS, PYTHON_LINE, type Example } from './lib/example-app';
import { runProcess } from './lib/exec';
import { credentialNeedles, findSecrets, type Needle } from './lib/secrets';
import { accountEnv } from './lib/sim-account';
import type { StageResult } from './lib/stage';

const NUMBER_A = '+15550100001';
const NUMBER_B = '+15550100002';
const APP_NUMBER = '+15550100003';
const PEOPLE = ['+15550107777', '+15550108888', '+15550104444'];
// Runs mostly wait on real HTTP and the simulator's clock (a quarter of their wall time is CPU): four at a time.
const CONCURRENCY = 4;
// The compiled copy of the package (scripts/lib/compiled.ts), as the app-gate stage runs it: a run starts in half the time.
let FCH = join(ROOT, 'bin', 'fch.js');

/** bugs.json's live declaration: whether a live run can observe the bug, and why not. */
const LiveBugs = z.object({ bugs: z.array(z.object({ name: z.string(), live: z.boolean().optional(), liveReason: z.string().optional() })) });

/** How each example is started in a live gate: its host variable mapped from HARNESS_APP_URL (the public URL). */
const LIVE_COMMAND: Record<string, string> = {
  'conference-line': 'APP_PUBLIC_URL=$HARNESS_APP_URL node server.js',
  'agent-line': AGENT_LINE.env(0).HARNESS_APP_COMMAND!,
  // Another language: the stdlib Python line reads its public URL from APP_PUBLIC_URL, as conference-line does.
  'python-line': 'APP_PUBLIC_URL=$HARNESS_APP_URL python3 app.py',
};

interface GateRun {
  label: string;
  shard?: string;
  code: number;
  output: string;
  scenarios: GateScenarioResult[];
  callsPlaced: number;
  peopleCalls: number;
  skipped: { scenario: string; reason: string }[];
  leftover: string[];
  wallMs: number;
  needles: Needle[];
}

interface RunOptions {
  label: string;
  example: Example;
  workDir: string;
  bug?: string;
  /** Replaces the example's live command (a wrong secret, an unmapped host). */
  command?: string;
  /** Send SIGINT to fch once a caller has joined a conference. */
  interrupt?: boolean;
  /** Variables that differ from the stage's (a shorter timeout where every wait is known to fail). */
  env?: Record<string, string>;
  /** Run `fch app live setup` twice as a process (the setup proof); other runs set the account up in process, once. */
  setupCli?: boolean;
  /** `--shard I/N`: the run plays its block of the scenarios, with the shard's own applications, folders and results. */
  shard?: string;
  /** `--parallel N`: N workers behind one front, each with its own copy of the app. */
  parallel?: number;
}

/** Where a run's results are: the shard's own folders when sharded. */
const shardDirs = (shard: string | undefined) => (shard ? { run: `live-shard-${shard.replace('/', 'of')}`, results: `allure-results-shard-${shard.replace('/', 'of')}` } : { run: 'live', results: 'allure-results' });

/** A simulator on its own port, set up like an account with `fch app live setup` run twice. */
async function account(opts: RunOptions): Promise<{ sim: Simulator; server: ServerHandle; env: NodeJS.ProcessEnv; dir: string; setup: string[]; close: () => Promise<void> }> {
  const sim = createSimulator({ numbers: [NUMBER_A, NUMBER_B, APP_NUMBER, ...PEOPLE] });
  // 5× real time: fast enough for the stage, slow enough that an app's 8 s GetDigits timeout (1.6 s) never
  // races the harness's steps on a loaded machine (at 20× it was 0.4 s and did).
  const server = await listen(sim, { speed: 5 });
  const dir = join(opts.workDir, opts.label);
  copyExample(dir, opts.example);
  const routing = opts.example.npm ? await startRouting({ simApiBaseUrl: server.apiBaseUrl, dir, enabled: true }) : undefined;
  // The SDK's default URL reaches this simulator through the mock gate's Node preload, given in the command as a team would.
  const route = routing ? `NODE_OPTIONS='${routing.env.NODE_OPTIONS}' FCH_ROUTE_TARGET=${routing.env.FCH_ROUTE_TARGET} FCH_ROUTE_REPORT=${routing.env.FCH_ROUTE_REPORT} ` : '';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(await accountEnv(sim, server)),
    HARNESS_MODE: 'live',
    FREECLIMB_NUMBER_A: NUMBER_A,
    FREECLIMB_NUMBER_B: NUMBER_B,
    FREECLIMB_APP_NUMBER: APP_NUMBER,
    HARNESS_APP_PEOPLE_NUMBERS: PEOPLE.join(','),
    HARNESS_TIMEOUT_MS: '10000',
    HARNESS_SETTLE_MS: '300',
    // A held leg's loop turns every second of the simulator's time (0.2 s real): digits go out and waits re-check that often.
    HARNESS_FAREND_POLL_MS: '1000',
    HARNESS_MAX_CALLS: '60',
    HARNESS_APP_URL: `http://127.0.0.1:${await freePort()}`,
    HARNESS_APP_COMMAND: route + (opts.command ?? LIVE_COMMAND[opts.example.name]),
    HARNESS_APP_JOIN_DIGITS: JOIN_DIGITS,
    ALLURE_RESULTS_DIR: '',
    ...(opts.bug ? { APP_BUG: opts.bug } : { APP_BUG: '' }),
    ...opts.env,
    ...(opts.shard ? { HARNESS_SHARD: opts.shard } : {}),
  };
  const setup: string[] = [];
  if (opts.setupCli) for (let i = 0; i < 2; i++) setup.push((await runProcess(process.execPath, [FCH, 'app', 'live', 'setup'], env, dir)).output);
  else await setupInProcess(env);
  return { sim, server, env, dir, setup, close: async () => (await routing?.close(), await server.close()) };
}

/** `fch app live setup`'s own code, called here: two node processes fewer per run (the CLI is proven by the setup run). */
async function setupInProcess(env: NodeJS.ProcessEnv): Promise<void> {
  const cfg = loadConfig(env);
  let output = '';
  const io = { stdout: { write: (t: string) => (output += t) }, stderr: { write: (t: string) => (output += t) } };
  const code = await runAppLiveSetup(cfg, cfg.app!, loadAppLiveConfig(env), io);
  if (code !== 0) throw new Error(`fch app live setup failed (exit ${code}): ${output.trim()}`);
}

async function gateRun(opts: RunOptions, args: string[]): Promise<GateRun> {
  const acc = await account(opts);
  const started = performance.now();
  try {
    const creds = acc.sim.credentials();
    const all = [...args, ...(opts.shard ? ['--shard', opts.shard] : []), ...(opts.parallel ? ['--parallel', String(opts.parallel)] : [])];
    const result = opts.interrupt ? await interrupted(acc.sim, acc.env, acc.dir, all) : await runProcess(process.execPath, [FCH, 'app', 'test', '--live', ...all], acc.env, acc.dir);
    const runDir = join(acc.dir, 'reports', 'app-gate', shardDirs(opts.shard).run);
    let scenarios: GateScenarioResult[] = [];
    try {
      scenarios = readCucumberJson(join(runDir, 'cucumber.json'));
    } catch {
      // No scenario ran; the output says why.
    }
    const info = existsSync(join(runDir, 'live.json')) ? (JSON.parse(readFileSync(join(runDir, 'live.json'), 'utf8')) as { callsPlaced: number; peopleCallsAnswered?: number; skipped: GateRun['skipped'] }) : { callsPlaced: 0, skipped: [] };
    return { label: opts.label, shard: opts.shard, code: result.code, output: result.output, scenarios, callsPlaced: info.callsPlaced, peopleCalls: info.peopleCallsAnswered ?? 0, skipped: info.skipped, leftover: leftovers(acc.sim), wallMs: performance.now() - started, needles: credentialNeedles(creds.accountId, creds.apiKey, creds.signingSecret) };
  } finally {
    await acc.close();
  }
}

/** Runs fch and sends it SIGINT once a caller has joined a conference (a call and a conference are up). */
function interrupted(sim: Simulator, env: NodeJS.ProcessEnv, cwd: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [FCH, 'app', 'test', '--live', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    let sent = false;
    sim.engine.onTrace((event) => {
      if (!sent && / joined CF/.test(event)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('close', (code) => resolve({ code: code ?? 1, output: `${sent ? '' : '(SIGINT never sent: no caller joined a conference)\n'}${output}` }));
  });
}

/** Calls still up and conferences not terminated: what a run left behind. */
function leftovers(sim: Simulator): string[] {
  const calls = [...sim.engine.state.calls.values()].filter((c) => c.endTime === null).map((c) => `call ${c.callId} ${c.status}`);
  const confs = sim.conferences.filter((c) => c.status !== 'terminated').map((c) => `conference ${c.conferenceId} ${c.status}`);
  return [...calls, ...confs];
}

export async function appLiveStage(workDir: string): Promise<StageResult> {
  const started = performance.now();
  const detail: string[] = [];
  let ok = true;
  const expect = (what: string, pass: boolean, info = '') => {
    if (!pass) ok = false;
    detail.push(`${pass ? 'ok  ' : 'FAIL'} ${what}${info ? ` — ${info}` : ''}`);
  };
  const work = join(workDir, 'app-live');
  const examples = [CONFERENCE_LINE, AGENT_LINE, PYTHON_LINE];
  const args = (e: Example) => e.gateArgs;
  // The build and a fresh clone's npm ci of the examples (agent-line needs the SDK) at the same time: one waits on disk and network, the other on CPU.
  const [compiled, ...installs] = await Promise.all([compiledFch(workDir), ...examples.map((e) => installExample(e))]);
  if (!compiled.ok) return { stage: 'app-live', ok: false, detail: ['the compiled copy of the package did not build:', compiled.output.slice(-800)] };
  FCH = compiled.command[compiled.command.length - 1];
  const failed = installs.findIndex((i) => !i.ok);
  if (failed >= 0) return { stage: 'app-live', ok: false, detail: [`examples/${examples[failed].name}: npm ci failed`, installs[failed].output.slice(-800)] };

  const bugs = new Map<Example, { name: string; live: boolean; liveReason?: string; scenarios: { feature: string; scenario: string; reason: string }[]; variants: unknown }[]>();
  for (const e of examples) {
    const raw = JSON.parse(readFileSync(join(e.dir, 'bugs.json'), 'utf8'));
    const declared = BugsFile.parse(raw).bugs;
    const live = LiveBugs.parse(raw).bugs;
    // A bug with no scenarios is one `fch app explore` finds, not the gate: nothing to declare.
    const gated = new Set(declared.filter((b) => b.scenarios.length > 0).map((b) => b.name));
    const undeclared = live.filter((b) => gated.has(b.name) && (b.live === undefined || (b.live === false && !b.liveReason))).map((b) => b.name);
    expect(`examples/${e.name}/bugs.json declares for every bug whether a live run observes it (and why not)`, undeclared.length === 0, undeclared.join(', '));
    bugs.set(e, declared.map((b) => ({ ...b, live: live.find((l) => l.name === b.name)?.live === true, liveReason: live.find((l) => l.name === b.name)?.liveReason })));
  }

  const tasks: (() => Promise<GateRun>)[] = [];
  const plans: { run: RunOptions; args?: string[]; judge: (r: GateRun) => void }[] = [];
  // The correct agent-line runs as two shards (the union is judged as one run): one proof for shards and for the app.
  // Not conference-line: its rooms outlive a scenario, so a shard that starts later in its features meets another app state
  // (a room nobody opened yet), and its conversations differ from the unsharded mock gate's, which the difference proof compares.
  const shards: GateRun[] = [];
  for (const e of examples) {
    // Shard 1/2 also runs as two parallel workers behind one front: one proof for both, and for the two together.
    if (e === AGENT_LINE) for (const shard of ['1/2', '2/2']) plans.push({ run: { label: `${e.name}-correct-shard-${shard.replace('/', 'of')}`, example: e, workDir: work, shard, ...(shard === '1/2' ? { parallel: 2 } : {}) }, judge: (r) => void shards.push(r) });
    else {
      plans.push({ run: { label: `${e.name}-correct`, example: e, workDir: work }, judge: (r) => judgeCorrect(e, r) });
      // Three workers whose callers all dial from the one number A: the dial lock must hand each inbound call to its own worker.
      if (e === CONFERENCE_LINE) plans.push({ run: { label: `${e.name}-correct-parallel-3`, example: e, workDir: work, parallel: 3 }, judge: (r) => (judgeCorrect(e, r), judgeFront(r, 3)) });
    }
    for (const bug of bugs.get(e)!.filter((b) => b.live)) {
      plans.push({ run: { label: `${e.name}-${bug.name}`, example: e, workDir: work, bug: bug.name }, judge: (r) => judgeBug(e, bug, r) });
    }
  }
  // One feature proves each of these: every webhook of it goes through the app's signature check or its URLs.
  const rooms = ['features/rooms.feature', '--no-builtin'];
  plans.push({
    args: rooms,
    run: { label: 'conference-line-wrong-secret', example: CONFERENCE_LINE, workDir: work, command: `FREECLIMB_SIGNING_SECRET=sigsec_not-the-account-secret ${LIVE_COMMAND['conference-line']}` },
    judge: (r) => {
      const red = r.scenarios.filter((s) => s.status === 'failed');
      expect(`the app's own signature check decides: with the wrong secret it refuses the forwarded webhooks (${red.length} scenarios red with HTTP 401)`, r.code === 1 && red.length > 0 && red.every((s) => /401/.test(s.error ?? '')), red.filter((s) => !/401/.test(s.error ?? '')).map((s) => s.name).join(', '));
    },
  });
  plans.push({
    args: rooms,
    // Every wait of this run fails (FreeClimb is sent past the harness); a short bound keeps it from costing 10 s a scenario.
    run: { label: 'conference-line-own-host', example: CONFERENCE_LINE, workDir: work, command: 'node server.js', env: { HARNESS_TIMEOUT_MS: '3000' } },
    judge: (r) => {
      const red = r.scenarios.filter((s) => /from another host than the harness's public URL/.test(s.error ?? ''));
      const sample = /the app built (\w+) (\S+) from another host/.exec(red[0]?.error ?? '');
      expect('an app that builds its URLs from its own loopback host is reported with the URL it used', r.code === 1 && red.length > 0, sample ? `${red.length} scenarios, e.g. ${sample[1]} ${sample[2]}` : r.output.slice(-300));
    },
  });
  plans.push({
    args: rooms,
    // Two workers: Ctrl-C reaches each worker's cleanup and then the front's.
    run: { label: 'conference-line-ctrl-c', example: CONFERENCE_LINE, workDir: work, interrupt: true, parallel: 2 },
    judge: (r) => expect('Ctrl-C during a parallel live app gate (2 workers) ends every call and conference before exiting (exit 130)', r.code === 130 && r.leftover.length === 0 && /cleaning up/.test(r.output) && /no new calls/.test(r.output), `exit ${r.code}, left: ${r.leftover.join(', ') || 'nothing'}${r.code !== 130 ? `; ${r.output.slice(-300)}` : ''}`),
  });
  // The longest runs first (bugs whose scenarios wait out their bound, the correct runs), so the pool's tail is short.
  const cost = (p: (typeof plans)[number]) => (p.args ? 0 : /no-signature-check|status-assumes-joined/.test(p.run.label) ? 3 : /correct/.test(p.run.label) ? 2 : 1);
  plans.sort((a, b) => cost(b) - cost(a));
  for (const p of plans) tasks.push(() => gateRun(p.run, p.args ?? args(p.run.example)));

  // The mock gate of the correct conference-line, under the default reading and one more, beside the live runs: the difference proof below.
  const mock = mockGate(work);
  const [runs] = await Promise.all([pool(CONCURRENCY, tasks), setupProof(work, expect)]);
  runs.forEach((r, i) => plans[i].judge(r));
  judgeCorrect(AGENT_LINE, judgeShards(shards));
  proveDifferences(await mock, [join(work, 'conference-line-correct', 'reports', 'allure-results')], join(work, 'live-vs-mock'), expect);
  // The own-host run is left out: its app sent FreeClimb past the harness, which never saw those conferences (the README says so).
  const stray = runs.filter((r) => !r.label.endsWith('ctrl-c') && !r.label.endsWith('own-host') && r.leftover.length);
  expect('no run left a call or a conference behind (the own-host run aside: what bypassed the harness is unknown to it)', stray.length === 0, stray.map((r) => `${r.label}: ${r.leftover.slice(0, 3).join(', ')}`).join(' | '));
  const leaks = findSecrets([work], runs.flatMap((r) => r.needles));
  expect('no file written contains an API key or signing secret', leaks.length === 0, leaks.slice(0, 5).join(', '));
  const printed = runs.filter((r) => r.needles.some((n) => r.output.includes(n.value)));
  expect('no output printed an API key or signing secret', printed.length === 0, printed.map((r) => r.label).join(', '));
  expect(`stage wall time ${((performance.now() - started) / 1000).toFixed(1)} s for ${runs.length} live gate runs, ${CONCURRENCY} at a time, and one mock gate run beside them`, true, runs.map((r) => `${r.label} ${(r.wallMs / 1000).toFixed(0)} s`).join(', '));
  return { stage: 'app-live', ok, detail };

  /** Two shards of one run: disjoint, non-empty blocks with their own applications, covering every scenario; their union is the run. */
  function judgeShards(parts: GateRun[]): GateRun {
    const names = parts.map((p) => p.scenarios.map((s) => s.name));
    const union = new Set(names.flat());
    const declared = parts.map((p) => /shard (\d)\/2: (\d+) of (\d+) scenarios \(applications fch-app-live-s\1, fch-app-live-harness-s\1\)/.exec(p.output));
    const total = Number(declared[0]?.[3] ?? -1);
    if (parts[0]) judgeFront(parts[0], 2, ' (shard 1/2)');
    expect(
      `fch app test --live --shard 1/2 and 2/2: disjoint blocks of ${names.map((n) => n.length).join(' + ')} of the ${total} scenarios, each with its own applications and results folder`,
      parts.length === 2 && names.every((n) => n.length > 0) && union.size === names.flat().length && union.size === total && declared.every(Boolean),
      parts.map((p) => `${p.label}: ${firstLines(p.output.split('\n').find((l) => l.startsWith('shard')) ?? p.output.slice(-200))}`).join(' | '),
    );
    return {
      ...parts[0],
      label: 'agent-line-correct',
      code: Math.max(...parts.map((p) => p.code)),
      output: parts.map((p) => p.output).join('\n'),
      scenarios: parts.flatMap((p) => p.scenarios),
      callsPlaced: parts.reduce((n, p) => n + p.callsPlaced, 0),
      peopleCalls: parts.reduce((n, p) => n + p.peopleCalls, 0),
      skipped: parts.flatMap((p) => p.skipped),
      leftover: parts.flatMap((p) => p.leftover),
      wallMs: Math.max(...parts.map((p) => p.wallMs)),
    };
  }

  /** A parallel run's front: every worker got requests, all calls under one cap, nothing that belonged to nobody. */
  function judgeFront(r: GateRun, workers: number, what = ''): void {
    const front = /parallel live app gate: (\d+) calls placed \(HARNESS_MAX_CALLS \d+, shared\); requests through the front: (.*); answered by the front itself \(nobody's\): (\d+)/.exec(r.output);
    const per = [...(front?.[2] ?? '').matchAll(/worker (\d+) (\d+)/g)].map((m) => Number(m[2]));
    expect(
      `fch app test --live --parallel ${workers}${what}: ${workers} workers, each with its own copy of the app, behind one front: ${front ? `${front[1]} calls placed under one cap, ${per.join(' + ')} requests relayed to the workers, ${front[3]} nobody's` : 'no front summary'}`,
      !!front && per.length === workers && per.every((n) => n > 0) && front[3] === '0' && new RegExp(`parallel live app gate: ${workers} workers`).test(r.output) && Number(front[1]) === r.callsPlaced,
      front ? r.output.slice(front.index).split('\n').slice(1).filter((l) => /^  (?![✓✗-] )\S/.test(l)).slice(0, 3).join(' / ') : firstLines(r.output.slice(-600), 8),
    );
  }

  function judgeCorrect(e: Example, r: GateRun): void {
    const failed = r.scenarios.filter((s) => s.status === 'failed');
    const skipped = r.scenarios.filter((s) => s.status === 'skipped');
    const noReason = skipped.filter((s) => !r.skipped.some((k) => k.scenario === s.name && /^skipped in a live app gate: .+(cannot be played on a real account|tagged @mock-only)/.test(k.reason)));
    const passed = r.scenarios.length - failed.length - skipped.length;
    expect(
      `${e.name} correct, live: ${passed} passed, ${skipped.length} skipped (each with its reason), ${failed.length} failed; ${r.callsPlaced} calls placed by the harness, ${r.peopleCalls} calls of the app to the people answered; ${(r.wallMs / 1000).toFixed(1)} s`,
      r.code === 0 && failed.length === 0 && passed > 0 && noReason.length === 0,
      [...failed.map((s) => `${s.name}: ${firstLines(s.error ?? '', 3)}`), ...noReason.map((s) => `skipped without a reason: ${s.name}`), r.code !== 0 && !failed.length ? r.output.slice(-400) : ''].filter(Boolean).join(' | '),
    );
  }

  function judgeBug(e: Example, bug: { name: string; scenarios: { scenario: string; reason: string }[] }, r: GateRun): void {
    const played = new Set(r.scenarios.filter((s) => s.status !== 'skipped').map((s) => s.name));
    const want = bug.scenarios.filter((s) => played.has(s.scenario));
    const red = r.scenarios.filter((s) => s.status === 'failed');
    const missed = want.filter((w) => !red.some((s) => s.name === w.scenario)).map((w) => `not red: ${w.scenario}`);
    const extra = red.filter((s) => !want.some((w) => w.scenario === s.name)).map((s) => `red but not declared: ${s.name}: ${firstLines(s.error ?? '', 2)}`);
    const wrongReason = want.filter((w) => red.some((s) => s.name === w.scenario && !hasReason(s.error ?? '', w.reason))).map((w) => `red for another reason than "${w.reason}": ${w.scenario}`);
    expect(`${e.name} APP_BUG=${bug.name}, live: red in exactly its ${want.length} declared scenario(s) that run live${bug.scenarios.length > want.length ? ` (${bug.scenarios.length - want.length} declared ones are skipped live)` : ''}`, r.code === 1 && want.length > 0 && missed.length + extra.length + wrongReason.length === 0, [...missed, ...extra, ...wrongReason].join(' | '));
  }
}

type Expect = (what: string, pass: boolean, info?: string) => void;

/** Setup and doctor on their own account, beside the gate runs: idempotence, every check green, a missing number red with its fix. */
async function setupProof(work: string, expect: Expect): Promise<void> {
  const acc = await account({ label: 'setup', example: CONFERENCE_LINE, workDir: work, setupCli: true });
  try {
    expect('fch app live setup creates both applications and routes the numbers', /created/.test(acc.setup[0]) && /assigned/.test(acc.setup[0]), firstLines(acc.setup[0]));
    expect('fch app live setup again changes nothing', !/created|updated|assigned/.test(acc.setup[1]) && (acc.setup[1].match(/unchanged/g) ?? []).length === 2 + 1 + PEOPLE.length, firstLines(acc.setup[1]));
    const doctor = await runProcess(process.execPath, [FCH, 'app', 'live', 'doctor'], acc.env, acc.dir);
    expect('fch app live doctor passes every check (credentials, numbers, routing, public URL to the harness and the app, a signed request accepted, an unsigned one refused)', doctor.code === 0 && /every check passed/.test(doctor.output), firstLines(doctor.output, 16));
    const broken = await runProcess(process.execPath, [FCH, 'app', 'live', 'doctor'], { ...acc.env, FREECLIMB_APP_NUMBER: '+15550100009' }, acc.dir);
    expect('fch app live doctor fails a number the account does not have, with its fix', broken.code === 1 && /FAIL .*not on the account; buy or port it/.test(broken.output), firstLines(broken.output.split('\n').filter((l) => /FAIL/.test(l)).join('\n')));
  } finally {
    await acc.close();
  }
}

/** A reading of the simulator that sends the app one webhook fewer than the stand-in account (its default): the planted difference. */
const PLANTED_READING = 'startModeratorFirstJoin=inProgressOnly';

/** The mock gate of the correct conference-line under the default reading and PLANTED_READING; its results folder. */
async function mockGate(work: string): Promise<{ code: number; output: string; results: string }> {
  const dir = join(work, 'conference-line-mock');
  copyExample(dir, CONFERENCE_LINE);
  const env = { ...process.env, ...CONFERENCE_LINE.env(await freePort()), HARNESS_MODE: 'mock', ALLURE_RESULTS_DIR: '', APP_BUG: '' };
  const r = await runProcess(process.execPath, [FCH, 'app', 'test', ...CONFERENCE_LINE.gateArgs, '--variant', 'default', '--variant', PLANTED_READING], env, dir);
  return { ...r, results: join(dir, 'reports', 'allure-results') };
}

/**
 * `fch report`'s comparison (support/report/live-vs-mock.ts) on the mock and live results merged as
 * `fch report --mock DIR --live DIR` merges them: against the default reading the correct app's two
 * conversations are the same in every scenario both ran; against PLANTED_READING every scenario whose
 * first caller starts a conference shows the populated conferenceStatus only the account sent, with
 * the exchange (its webhook and fields) on the scenario's page.
 */
function proveDifferences(mock: { code: number; output: string; results: string }, liveResults: string[], out: string, expect: Expect): void {
  if (mock.code !== 0) return expect('the mock gate of the correct conference-line passes (the other side of the difference)', false, mock.output.slice(-400));
  const merged = join(out, 'allure-results');
  startResults(merged, { root: out, env: {} });
  mergeResultsDirs([mock.results, ...liveResults], merged);
  const same = writeLiveVsMock(merged, join(out, 'reports'));
  const s = same?.report.summary;
  const diffs = same?.report.scenarios.filter((x) => x.verdict === 'different') ?? [];
  expect(
    `the live-vs-mock page is empty for the correct conference-line: ${s?.compared ?? 0} scenarios compared, ${s?.different ?? '?'} with differences (${s?.onlyMock ?? 0} mock only: skipped live)`,
    !!s && s.compared >= 10 && s.different === 0 && s.onlyLive === 0,
    diffs.slice(0, 2).map((x) => scenarioText(x).split('\n').slice(0, 3).join(' / ')).join(' | '),
  );
  const ranked = same?.report.readings ?? [];
  expect(
    `the page says which reading the account behaves like: ${ranked.map((r) => `${r.reading} ${r.different} of ${r.compared} scenarios differ`).join(', ')}`,
    ranked.length === 2 && ranked[0].reading === 'default' && ranked[0].different === 0 && ranked[1].reading === PLANTED_READING && ranked[1].different > 0,
  );
  const planted = writeLiveVsMock(merged, join(out, 'reports-planted'), PLANTED_READING);
  const shown = planted?.report.scenarios.filter((x) => x.verdict === 'different') ?? [];
  const populated = shown.filter((x) => x.differences.some((d) => d.kind === 'only-live' && d.live.requestType === 'conferenceStatus' && d.live.fields.status === '"populated"'));
  const other = shown.flatMap((x) => x.differences.filter((d) => !(d.kind === 'only-live' && d.live.fields.status === '"populated"')).map(describeDifference));
  // The scenario's page: its result in the merged folder, broken, with the exchange in its HTML attachment.
  const page = readdirSync(merged)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join(merged, f), 'utf8')) as { name: string; status: string; attachments: { name: string; source: string }[] })
    .find((r) => r.name === `live vs mock: ${populated[0]?.scenario}`);
  const html = page?.attachments.find((a) => a.name === 'live-vs-mock.html');
  const exchange = html ? readFileSync(join(merged, html.source), 'utf8') : '';
  expect(
    `a planted difference is shown: against the simulator's ${PLANTED_READING} reading, ${populated.length} of ${planted?.report.summary.compared ?? 0} scenarios show the conferenceStatus "populated" only the account sent, each on its page with the webhook and its fields${populated[0] ? ` (e.g. ${describeDifference(populated[0].differences[0])})` : ''}`,
    populated.length >= 5 && other.length === 0 && page?.status === 'broken' && /status: &quot;populated&quot;/.test(exchange),
    [...other.slice(0, 3), page ? `page ${page.status}` : 'no page'].join(' | '),
  );
}

/**
 * The declared reason, or its live counterpart: the mock gate's webhookFailed is the simulator's code
 * for a webhook the app did not answer; live, the app that died is named instead.
 */
function hasReason(error: string, reason: string): boolean {
  if (error.includes(reason)) return true;
  return reason === 'webhookFailed' && /the app under test exited during the run|connection refused/.test(error);
}

function firstLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(0, n).join(' / ');
}
