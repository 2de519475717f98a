// The `app-live` self-check stage (issue 24): `fch app test --live` proven without FreeClimb. Each
// gate run gets its own simulator served over HTTP as the account (support/simulator/adapters/
// http-server.ts, 20× real time), its own public port for the harness's front and its own app port:
// FreeClimb's webhooks go from the simulator to the front and on to the app, the app's REST requests
// go to the simulator, all real HTTP on loopback, no nock. The stage proves: setup idempotent, doctor
// green; each correct example green with its unplayable scenarios skipped for a reason; each seeded
// bug that bugs.json declares live-observable red in exactly its declared scenarios; the app's own
// signature check passing on forwarded requests (and failing every webhook when the app holds the
// wrong secret); a URL built from another host reported; Ctrl-C leaving no call or conference; no
// secret in any file written.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readCucumberJson, type GateScenarioResult } from '../support/report/cucumber-results';
import { startRouting } from '../support/app-gate/routing';
import { freePort } from '../support/free-port';
import { createSimulator, type Simulator } from '../support/simulator';
import { listen, type ServerHandle } from '../support/simulator/adapters/http-server';
import { BugsFile } from './lib/bug-proof';
import { compiledFch } from './lib/compiled';
import { pool, ROOT } from './lib/cucumber-run';
import { AGENT_LINE, CONFERENCE_LINE, copyExample, installExample, JOIN_DIGITS, type Example } from './lib/example-app';
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
};

interface GateRun {
  label: string;
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
}

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
  };
  const setup: string[] = [];
  for (let i = 0; i < 2; i++) setup.push((await runProcess(process.execPath, [FCH, 'app', 'live', 'setup'], env, dir)).output);
  return { sim, server, env, dir, setup, close: async () => (await routing?.close(), await server.close()) };
}

async function gateRun(opts: RunOptions, args: string[]): Promise<GateRun> {
  const acc = await account(opts);
  const started = performance.now();
  try {
    const creds = acc.sim.credentials();
    const result = opts.interrupt ? await interrupted(acc.sim, acc.env, acc.dir, args) : await runProcess(process.execPath, [FCH, 'app', 'test', '--live', ...args], acc.env, acc.dir);
    const runDir = join(acc.dir, 'reports', 'app-gate', 'live');
    let scenarios: GateScenarioResult[] = [];
    try {
      scenarios = readCucumberJson(join(runDir, 'cucumber.json'));
    } catch {
      // No scenario ran; the output says why.
    }
    const info = existsSync(join(runDir, 'live.json')) ? (JSON.parse(readFileSync(join(runDir, 'live.json'), 'utf8')) as { callsPlaced: number; peopleCallsAnswered?: number; skipped: GateRun['skipped'] }) : { callsPlaced: 0, skipped: [] };
    return { label: opts.label, code: result.code, output: result.output, scenarios, callsPlaced: info.callsPlaced, peopleCalls: info.peopleCallsAnswered ?? 0, skipped: info.skipped, leftover: leftovers(acc.sim), wallMs: performance.now() - started, needles: credentialNeedles(creds.accountId, creds.apiKey, creds.signingSecret) };
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
  const compiled = await compiledFch(workDir);
  if (!compiled.ok) return { stage: 'app-live', ok: false, detail: ['the compiled copy of the package did not build:', compiled.output.slice(-800)] };
  FCH = compiled.command[compiled.command.length - 1];
  const examples = [CONFERENCE_LINE, AGENT_LINE];
  const args = (e: Example) => e.gateArgs;
  // A fresh clone has no node_modules in the examples yet (agent-line needs the SDK).
  for (const example of examples) {
    const install = await installExample(example);
    if (!install.ok) return { stage: 'app-live', ok: false, detail: [`examples/${example.name}: npm ci failed`, install.output.slice(-800)] };
  }

  // Setup and doctor on their own account first: idempotence and every check green.
  const acc = await account({ label: 'setup', example: CONFERENCE_LINE, workDir: work });
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
  const plans: { run: RunOptions; judge: (r: GateRun) => void }[] = [];
  for (const e of examples) {
    plans.push({ run: { label: `${e.name}-correct`, example: e, workDir: work }, judge: (r) => judgeCorrect(e, r) });
    for (const bug of bugs.get(e)!.filter((b) => b.live)) {
      plans.push({ run: { label: `${e.name}-${bug.name}`, example: e, workDir: work, bug: bug.name }, judge: (r) => judgeBug(e, bug, r) });
    }
  }
  plans.push({
    run: { label: 'conference-line-wrong-secret', example: CONFERENCE_LINE, workDir: work, command: `FREECLIMB_SIGNING_SECRET=sigsec_not-the-account-secret ${LIVE_COMMAND['conference-line']}` },
    judge: (r) => {
      const red = r.scenarios.filter((s) => s.status === 'failed');
      expect(`the app's own signature check decides: with the wrong secret it refuses the forwarded webhooks (${red.length} scenarios red with HTTP 401)`, r.code === 1 && red.length > 0 && red.every((s) => /401/.test(s.error ?? '')), red.filter((s) => !/401/.test(s.error ?? '')).map((s) => s.name).join(', '));
    },
  });
  plans.push({
    run: { label: 'conference-line-own-host', example: CONFERENCE_LINE, workDir: work, command: 'node server.js' },
    judge: (r) => {
      const red = r.scenarios.filter((s) => /from another host than the harness's public URL/.test(s.error ?? ''));
      const sample = /the app built (\w+) (\S+) from another host/.exec(red[0]?.error ?? '');
      expect('an app that builds its URLs from its own loopback host is reported with the URL it used', r.code === 1 && red.length > 0, sample ? `${red.length} scenarios, e.g. ${sample[1]} ${sample[2]}` : r.output.slice(-300));
    },
  });
  plans.push({
    run: { label: 'conference-line-ctrl-c', example: CONFERENCE_LINE, workDir: work, interrupt: true },
    judge: (r) => expect('Ctrl-C during a live app gate ends every call and conference before exiting (exit 130)', r.code === 130 && r.leftover.length === 0 && /cleaning up/.test(r.output), `exit ${r.code}, left: ${r.leftover.join(', ') || 'nothing'}${r.code !== 130 ? `; ${r.output.slice(-300)}` : ''}`),
  });
  for (const p of plans) tasks.push(() => gateRun(p.run, p.run.interrupt ? ['features/rooms.feature', '--no-builtin'] : args(p.run.example)));

  const runs = await pool(CONCURRENCY, tasks);
  runs.forEach((r, i) => plans[i].judge(r));
  // The own-host run is left out: its app sent FreeClimb past the harness, which never saw those conferences (the README says so).
  const stray = runs.filter((r) => !r.label.endsWith('ctrl-c') && !r.label.endsWith('own-host') && r.leftover.length);
  expect('no run left a call or a conference behind (the own-host run aside: what bypassed the harness is unknown to it)', stray.length === 0, stray.map((r) => `${r.label}: ${r.leftover.slice(0, 3).join(', ')}`).join(' | '));
  const leaks = findSecrets([work], runs.flatMap((r) => r.needles));
  expect('no file written contains an API key or signing secret', leaks.length === 0, leaks.slice(0, 5).join(', '));
  const printed = runs.filter((r) => r.needles.some((n) => r.output.includes(n.value)));
  expect('no output printed an API key or signing secret', printed.length === 0, printed.map((r) => r.label).join(', '));
  expect(`stage wall time ${((performance.now() - started) / 1000).toFixed(1)} s for ${runs.length} live gate runs, ${CONCURRENCY} at a time`, true);
  return { stage: 'app-live', ok, detail };

  function judgeCorrect(e: Example, r: GateRun): void {
    const failed = r.scenarios.filter((s) => s.status === 'failed');
    const skipped = r.scenarios.filter((s) => s.status === 'skipped');
    const noReason = skipped.filter((s) => !r.skipped.some((k) => k.scenario === s.name && /^skipped in a live app gate: .+(cannot be played on a real account|tagged @mock-only)/.test(k.reason)));
    const passed = r.scenarios.length - failed.length - skipped.length;
    expect(
      `${e.name} correct, live: ${passed} passed, ${skipped.length} skipped (each with its reason), 0 failed; ${r.callsPlaced} calls placed by the harness, ${r.peopleCalls} calls of the app to the people answered; ${(r.wallMs / 1000).toFixed(1)} s`,
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
