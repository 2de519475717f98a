// `fch app test --live [paths…] [--no-builtin]` and `fch app live setup|doctor`: the app gated
// against a real FreeClimb account, the harness between FreeClimb and the app
// (support/app-gate/live/). One Cucumber run (a real account has one reading) in a process of its
// own, so that Ctrl-C reaches its cleanup; this process waits for it and forwards a SIGINT it gets.
// Exit 0 when no scenario failed (skipped ones are listed with their reasons), 1 on a failure, 2
// on a bad setup, 130 after Ctrl-C.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from '../config';
import { readCucumberJson, type GateScenarioResult } from '../report/cucumber-results';
import { BUILTIN_FEATURE, CODE_EXT, CODE_ROOT, nodeArgs } from '../package-paths';
import { loadAppLiveConfig } from '../app-gate/live/live-config';
import { resultsDirOf, startResults } from '../results-dir';
import type { RunSpec } from '../runner/protocol';
import { scenarioIds } from '../app-gate/shard-plan';
import { parseShard, shardBlock, shardTag, type Shard } from '../shard';
import type { CliIo } from './percl-validate';

export const APP_LIVE_USAGE = `usage: fch app test --live [paths…] [--no-builtin] [--shard INDEX/TOTAL] [--parallel N]
       fch app live setup | doctor | sweep [--yes]

  --live   gate the app against the real account of FREECLIMB_ACCOUNT_ID: FreeClimb calls the public
           URL (HARNESS_PUBLIC_URL or the ngrok tunnel, on HARNESS_PORT), the harness forwards each
           request to the app and checks every answer; callers are real calls from FREECLIMB_NUMBER_A
           to FREECLIMB_APP_NUMBER; people the app calls are HARNESS_APP_PEOPLE_NUMBERS, answered by the
           harness. Calls are billed: HARNESS_MAX_CALLS caps them.
  --shard  run part I of N of the scenarios (a contiguous block, in run order), into
           reports/allure-results-shard-IofN (or ALLURE_RESULTS_DIR) with its own applications
           fch-app-live-sI and fch-app-live-harness-sI (HARNESS_SHARD=I/N fch app live setup first);
           shards that run at once need their own FREECLIMB_APP_NUMBER, people's numbers and public URL
  --parallel  N workers on this machine, each with its own copy of the app (HARNESS_APP_COMMAND,
           on a port of its own given as PORT) and a contiguous block of the scenarios, behind one
           public URL and one HARNESS_MAX_CALLS; the same applications and numbers as one worker:
           callers are placed one at a time, and a scenario's people numbers are its own while it runs
  setup    create or update the applications fch-app-live and fch-app-live-harness and route the
           numbers to them (idempotent)
  doctor   check credentials, numbers, routing, the public URL reaching the harness and the app,
           and a signed request the app accepts; each failed check has a one-line fix
  sweep    list the calls a live app gate left active (callers from FREECLIMB_NUMBER_A to the app's
           number, calls to the people's numbers) and their conferences; --yes ends them
`;

function envOrError(io: CliIo): { cfg: ReturnType<typeof loadConfig>; live: ReturnType<typeof loadAppLiveConfig> } | undefined {
  try {
    const cfg = loadConfig({ ...process.env, HARNESS_MODE: 'live' });
    if (!cfg.app) throw new Error('HARNESS_APP_URL: required for app gating; the loopback URL the app listens on, e.g. http://127.0.0.1:3000');
    return { cfg, live: loadAppLiveConfig() };
  } catch (e) {
    io.stderr.write(`${e instanceof ConfigError ? e.message : (e as Error).message}\n`);
    return undefined;
  }
}

export async function runAppLiveCli(argv: string[], io: CliIo): Promise<number> {
  const [verb] = argv;
  if (verb === 'sweep' && argv.slice(1).every((a) => a === '--yes')) {
    const env = envOrError(io);
    if (!env) return 2;
    return (await import('../app-gate/live/sweep')).runAppLiveSweep(env.cfg, env.live, io, argv.includes('--yes'));
  }
  if (verb !== 'setup' && verb !== 'doctor') {
    io.stderr.write(APP_LIVE_USAGE);
    return 2;
  }
  const env = envOrError(io);
  if (!env) return 2;
  const account = await import('../app-gate/live/account');
  return verb === 'setup' ? account.runAppLiveSetup(env.cfg, env.cfg.app!, env.live, io) : account.runAppLiveDoctor(env.cfg, env.cfg.app!, env.live, io);
}

export async function runAppTestLive(argv: string[], io: CliIo): Promise<number> {
  const paths: string[] = [];
  let builtin = true;
  let shard: Shard | undefined;
  let workers = 1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--live') continue;
    if (a === '--no-builtin') builtin = false;
    else if (a === '--parallel' || a.startsWith('--parallel=')) {
      const raw = a === '--parallel' ? (argv[++i] ?? '') : a.slice('--parallel='.length);
      workers = Number(raw);
      if (!Number.isInteger(workers) || workers < 1 || workers > 16) {
        io.stderr.write(`fch app test --live: --parallel takes a whole number of workers from 1 to 16, not "${raw}"\n`);
        return 2;
      }
    }    else if (a === '--shard' || a.startsWith('--shard=')) {
      try {
        shard = parseShard(a === '--shard' ? (argv[++i] ?? '') : a.slice('--shard='.length));
      } catch (e) {
        io.stderr.write(`fch app test --live: ${(e as Error).message}\n`);
        return 2;
      }
    } else if (a.startsWith('-')) {
      io.stderr.write(`fch app test --live: ${a} is not an option of a live run (one reading: the account's)\n\n${APP_LIVE_USAGE}`);
      return 2;
    } else paths.push(a);
  }
  // The shard names its results folder and its applications (live-config.ts) from here on, in this process and the worker.
  if (shard) process.env.HARNESS_SHARD = `${shard.index}/${shard.total}`;
  const env = envOrError(io);
  if (!env) return 2;
  const problems: string[] = [];
  if (builtin && !env.cfg.app!.joinDigits) problems.push('HARNESS_APP_JOIN_DIGITS: the built-in checks need what a caller presses to join, e.g. 1234# (or pass --no-builtin)');
  for (const p of paths) if (!existsSync(p)) problems.push(`${p}: no such feature file or folder (from ${process.cwd()})`);
  if (!builtin && paths.length === 0) problems.push('nothing to run: give feature paths, or drop --no-builtin');
  // One app already running cannot be split: the workers' scenarios would share its state, and the verdict would depend on their timing.
  if (workers > 1 && !env.cfg.app!.command) problems.push('--parallel starts a copy of the app for each worker: set HARNESS_APP_COMMAND (an app already running at HARNESS_APP_URL can serve one worker only)');
  if (problems.length) {
    io.stderr.write(`fch app test --live: cannot start:\n  ${problems.join('\n  ')}\n`);
    return 2;
  }
  const features = [...(builtin ? [BUILTIN_FEATURE] : []), ...paths];
  let run = features;
  if (shard || workers > 1) {
    const ids = await scenarioIds(features);
    run = shard ? shardBlock(ids, shard) : ids;
    if (shard) io.stdout.write(`shard ${shard.index}/${shard.total}: ${run.length} of ${ids.length} scenarios (applications ${env.live.appAlias}, ${env.live.harnessAlias})\n`);
    if (run.length === 0) {
      io.stdout.write('nothing to run in this shard (more shards than scenarios)\n');
      return 0;
    }
  }
  const runDir = resolve('reports', 'app-gate', shard ? `live-shard-${shardTag(shard)}` : 'live');
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const allureDir = resultsDirOf(process.env);
  try {
    startResults(allureDir);
  } catch (e) {
    io.stderr.write(`fch app test --live: ${(e as Error).message}\n`);
    return 2;
  }
  const code = (...parts: string[]) => join(CODE_ROOT, ...parts);
  const specFor = (paths: string[], dir: string): RunSpec => ({
    label: 'live',
    env: { HARNESS_MODE: 'live', HARNESS_APP_RUN_DIR: dir, ALLURE_RESULTS_DIR: allureDir, ALLURE_LABEL_variant: 'live', ALLURE_LABEL_epic: 'App gate (live)' },
    cucumber: {
      paths,
      require: [code('support', `world.${CODE_EXT}`), code('support', 'app-gate', 'live', `hooks.${CODE_EXT}`), code('steps', 'app', `*.${CODE_EXT}`), code('steps', `participant.steps.${CODE_EXT}`), code('steps', `time.steps.${CODE_EXT}`)],
      format: [['json', join(dir, 'cucumber.json')], [pathToFileURL(require.resolve('allure-cucumberjs/reporter')).href, join(dir, 'allure-formatter.log')]],
      formatOptions: { resultsDir: allureDir },
      unflushedAllureWriter: true,
    },
  });
  const started = Date.now();
  const exit = workers > 1 ? await (await import('../app-gate/live/parallel/launch')).runParallelLive({ cfg: env.cfg, live: env.live, workers, scenarios: run, runDir, spec: specFor, io }) : await oneWorker(specFor(run, runDir), io);
  if (exit === 130) return 130;
  if (exit === 2) return 2;
  let scenarios: GateScenarioResult[] = [];
  try {
    scenarios = readCucumberJson(join(runDir, 'cucumber.json'));
  } catch {
    io.stderr.write(`fch app test --live: no scenario ran (exit ${exit})\n`);
    return exit === 0 ? 1 : (exit ?? 1);
  }
  const info = readLive(runDir);
  io.stdout.write(`\n${liveSummary(scenarios, info)}\n`);
  const failed = scenarios.filter((s) => s.status === 'failed').length;
  const ok = exit === 0 && failed === 0 && scenarios.some((s) => s.status === 'passed');
  io.stdout.write(`\n${ok ? 'live app gate passed' : 'live app gate FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${info.callsPlaced} call(s) placed by the harness, ${info.peopleCallsAnswered ?? 0} call(s) of the app to the people answered; ${rel(runDir)}/, ${allureDir}\n`);
  return ok ? 0 : 1;
}

/** The run in one Cucumber process of its own; resolves with its exit code. */
async function oneWorker(spec: RunSpec, io: CliIo): Promise<number | null> {
  const child = spawn(process.execPath, [...nodeArgs('support/app-gate/live/worker'), JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HARNESS_MODE: 'live' } });
  child.stdout.on('data', (d: Buffer) => io.stdout.write(d.toString()));
  child.stderr.on('data', (d: Buffer) => io.stderr.write(d.toString()));
  // Ctrl-C at a terminal reaches the worker too; a SIGINT sent to this process alone is passed on.
  const forward = () => child.kill('SIGINT');
  process.on('SIGINT', forward);
  const exit = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
  process.off('SIGINT', forward);
  return exit;
}

interface LiveInfo {
  callsPlaced: number;
  peopleCallsAnswered?: number;
  skipped: { scenario: string; reason: string }[];
  scenarios: { scenario: string; callsPlaced: number; wallMs: number }[];
}

const rel = (p: string) => relative(process.cwd(), p) || '.';

function readLive(runDir: string): LiveInfo {
  try {
    return JSON.parse(readFileSync(join(runDir, 'live.json'), 'utf8')) as LiveInfo;
  } catch {
    return { callsPlaced: 0, skipped: [], scenarios: [] };
  }
}

/** Per scenario: its verdict, the calls it placed, or the reason it was skipped; failures with their first lines. */
export function liveSummary(scenarios: readonly GateScenarioResult[], info: LiveInfo): string {
  const lines = scenarios.map((s) => {
    const mark = s.status === 'passed' ? '✓' : s.status === 'failed' ? '✗' : '-';
    const calls = info.scenarios.find((x) => x.scenario === s.name)?.callsPlaced;
    const skip = info.skipped.find((x) => x.scenario === s.name)?.reason;
    const tail = s.status === 'skipped' ? `  (${skip ?? 'skipped'})` : calls !== undefined ? `  (${calls} call${calls === 1 ? '' : 's'})` : '';
    const error = s.status === 'failed' && s.error ? `\n      ${s.error.split('\n').slice(0, 4).join('\n      ')}` : '';
    return `  ${mark} ${s.name}${tail}${error}`;
  });
  return `live app gate, scenario by scenario (✓ passed, ✗ failed, - skipped):\n${lines.join('\n')}`;
}
