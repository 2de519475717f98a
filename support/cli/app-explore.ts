// `fch app explore [paths…]`: drive the app with generated caller sequences under the gate's
// simulator, check the invariants after every action, shrink each failure with fast-check and write
// it as a .feature that the gate reproduces (issue 23). Configured exactly like `fch app test`.
// Exit 0 with no failure-level finding, 1 with one, 2 on bad input or a bad setup; on 2 nothing
// is written to the output folder (everything is assembled in a temporary folder first).
import fc from 'fast-check';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config';
import type { Conversation } from '../schemas/conversation';
import { FindingsFile, type CheckLevel, type Finding, type InvariantCode } from '../schemas/explore';
import { allVariantSettings, parseVariants } from '../simulator/variants';
import { freePort } from '../free-port';
import { GatedRun } from '../app-gate/gated-run';
import { GatedScenario } from '../app-gate/gated-scenario';
import { search, replay, parseReplay, type Found } from '../app-gate/explore/explorer';
import { featureText } from '../app-gate/explore/feature';
import { defaultLevels, DEFAULT_LIMITS, invariant, INVARIANTS, parseCheck } from '../app-gate/explore/invariants';
import { consoleSummary, writeAllure, writeJunit } from '../app-gate/explore/report';
import { SequenceRunner, type SequenceResult } from '../app-gate/explore/sequence';
import { readDeclared, type Declared } from '../app-gate/explore/triggers';
import { verifyFeatures } from '../app-gate/explore/verify';
import type { CliIo } from './percl-validate';

export const APP_EXPLORE_USAGE = `usage: fch app explore [paths…] [--runs N] [--time S] [--seed S] [--max-actions N] [--replay SEED:PATH]
                       [--all-variants [--readings N|all] | --variant axis=option,…] [--out DIR] [--check CODE=off|warn|fail]…

  paths            feature files or folders: their web triggers ("the app receives a form POST to …") are fired
                   and the people they place on numbers keep their names; no feature is needed otherwise
  --runs N         sequences to generate (default 60)
  --time S         wall-clock budget in seconds, whichever ends first (default 30: with the
                   last shrink and the gate's check, a default run stays within a minute)
  --seed S         fast-check seed (default 1): the same seed and app give the same findings
  --max-actions N  actions per sequence at most (default 12)
  --replay SEED:PATH  run one sequence exactly as a finding gives it, report what it breaks
  --all-variants   explore under the default reading, then a few sequences under each of the others
  --readings N     with --all-variants: only N of the other readings, drawn from the seed (default all)
  --variant spec   explore under that reading (repeatable; "default" too)
  --out DIR        where findings.json, the .feature files, JUnit and Allure results go (default reports/app-explore)
  --check C=L      an invariant's level: off, warn or fail (repeatable); codes: ${INVARIANTS.map((i) => i.code).join(', ')}
  --exit-first, -x stop at the first finding (once shrunk)
  --verify R       the readings the gate re-runs each finding's .feature under before keeping it: all (the
                   default), default (the default reading only: faster), or off (keep it unchecked)

exit 0: no failure-level finding; 1: at least one; 2: bad input or a bad setup (nothing written)
`;

export interface ExploreArgs {
  paths: string[];
  runs: number;
  timeS: number;
  seed: number;
  maxActions: number;
  replay?: string;
  variants: string[];
  out: string;
  levels: Map<InvariantCode, CheckLevel>;
  /** Which readings the gate re-runs each finding's .feature under: all of them, the default one, or none. */
  verify: 'all' | 'default' | 'off';
  /** Stop at the first finding (once shrunk), as a CI job that only needs to know whether there is one. */
  exitFirst: boolean;
  /** --all-variants: the readings after the default one are a seeded sample of this many. */
  sampledFrom?: number;
}

class UsageError extends Error {}

/**
 * Other readings --all-variants explores by default: every one. Each costs an app start and a
 * sequence or two (conference-line, all 25: 5.6 s of CPU), cheap enough that a correct app is
 * explored under every reading, as the gate tests it; --readings N samples when it is not.
 */
export const DEFAULT_READINGS_SAMPLE: number | 'all' = 'all';

/** `n` of `readings`, drawn from the seed (the same seed, the same sample), in their listed order. */
export function sampleReadings(readings: readonly string[], n: number | 'all', seed: number): string[] {
  if (n === 'all' || n >= readings.length) return [...readings];
  const [picked] = fc.sample(fc.shuffledSubarray([...readings], { minLength: n, maxLength: n }), { seed, numRuns: 1 });
  return readings.filter((r) => picked.includes(r));
}

const positiveInt = (flag: string, value: string | undefined): number => {
  if (!value || !/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${flag} needs a whole number of at least 1, got "${value ?? ''}"`);
  return Number(value);
};

export function parseExploreArgs(argv: string[], requireSignatures = true): ExploreArgs {
  const args: ExploreArgs = { paths: [], runs: 60, timeS: 30, seed: 1, maxActions: 12, variants: [], out: join('reports', 'app-explore'), levels: defaultLevels(requireSignatures), verify: 'all', exitFirst: false };
  let all = false;
  let sample: number | 'all' = DEFAULT_READINGS_SAMPLE;
  let sampleGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (a.includes('=') && a.startsWith('--') && !a.startsWith('--check')) return a.slice(a.indexOf('=') + 1);
      return argv[++i];
    };
    const flag = a.split('=')[0];
    if (flag === '--runs') args.runs = positiveInt('--runs', value());
    else if (flag === '--time') args.timeS = positiveInt('--time', value());
    else if (flag === '--max-actions') args.maxActions = positiveInt('--max-actions', value());
    else if (flag === '--seed') {
      const v = value();
      if (!v || !/^-?\d+$/.test(v)) throw new UsageError(`--seed needs an integer, got "${v ?? ''}"`);
      args.seed = Number(v);
    } else if (flag === '--replay') {
      const v = value() ?? '';
      try {
        parseReplay(v);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      args.replay = v;
    } else if (flag === '--all-variants') all = true;
    else if (flag === '--readings') {
      const v = value();
      sample = v === 'all' ? 'all' : positiveInt('--readings', v);
      sampleGiven = true;
    }
    else if (flag === '--variant') {
      const v = value();
      if (!v) throw new UsageError('--variant needs axis=option[,axis=option…]');
      try {
        if (v !== 'default') parseVariants(v);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      args.variants.push(v);
    } else if (flag === '--out') {
      const v = value();
      if (!v) throw new UsageError('--out needs a folder');
      args.out = v;
    } else if (a === '--check') {
      try {
        parseCheck(argv[++i] ?? '', args.levels);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    } else if (a.startsWith('--check=')) {
      try {
        parseCheck(a.slice('--check='.length), args.levels);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    } else if (a === '--exit-first' || a === '-x') args.exitFirst = true;
    else if (flag === '--verify') {
      const v = value();
      if (v !== 'all' && v !== 'default' && v !== 'off') throw new UsageError(`--verify needs all, default or off, got "${v ?? ''}"`);
      args.verify = v;
    }
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else args.paths.push(a);
  }
  if (all && args.variants.length) throw new UsageError('give --all-variants or --variant, not both');
  if (sampleGiven && !all) throw new UsageError('--readings goes with --all-variants');
  // A finding is re-checked under every reading by default, so that it says "fails under every
  // reading" or "fails only under …" (a gate run per reading, only for what was found: a correct app
  // pays nothing). --verify default trades that for speed, as the self-check's bug runs do.
  if (all) {
    const others = allVariantSettings();
    args.variants = ['default', ...sampleReadings(others, sample, args.seed)];
    if (sample !== 'all' && sample < others.length) args.sampledFrom = others.length;
  } else args.variants = args.variants.length ? [...new Set(args.variants)] : ['default'];
  return args;
}

export async function runAppExplore(argv: string[], io: CliIo): Promise<number> {
  const bad = (message: string) => {
    io.stderr.write(`fch app explore: ${message}\n`);
    return 2;
  };
  let args: ExploreArgs;
  let declared: Declared;
  try {
    const cfg = loadConfig();
    if (!cfg.app) return bad('HARNESS_APP_URL is required: the loopback URL the app listens on, e.g. http://127.0.0.1:3000');
    args = parseExploreArgs(argv, cfg.app.requireSignatures);
    for (const p of args.paths) if (!existsSync(p)) return bad(`${p}: no such feature file or folder (from ${process.cwd()})`);
    declared = readDeclared(args.paths);
  } catch (e) {
    if (e instanceof UsageError) return bad(`${e.message} (fch app explore --help)`);
    if (e instanceof ConfigError) return bad(e.message.split('\n').join(' '));
    return bad((e as Error).message);
  }
  const out = resolve(args.out);
  const work = mkdtempSync(join(tmpdir(), 'fch-explore-'));
  try {
    return await explore(args, declared, out, work, io);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

class SetupError extends Error {}

async function explore(args: ExploreArgs, declared: Declared, out: string, work: string, io: CliIo): Promise<number> {
  const started = performance.now();
  process.env.HARNESS_APP_RUN_DIR = join(work, 'run');
  mkdirSync(process.env.HARNESS_APP_RUN_DIR, { recursive: true });
  const found: { found: Found; variant: string }[] = [];
  let sequences = 0;
  let actions = 0;
  let appStarts = 0;
  let rechecks = 0;
  let lastProgress = 0;
  const readingsRun: string[] = [];
  try {
    // One run for every reading: its SDK routing and quiet probe start once; each reading is a
    // new simulator and a fresh app (useReading, then restart).
    const cfgOf = (variant: string) => loadConfig({ ...process.env, HARNESS_MODE: 'mock', HARNESS_VARIANTS: variant === 'default' ? '' : variant });
    const first = cfgOf(args.variants[0]);
    // One simulator port for the whole exploration: a fresh one per sequence (the gate's default on
    // a restart) could be taken, while the app restarts, by the app port of a run beside this one.
    const run = new GatedRun(first, { ...first.app!, simPort: first.app!.simPort || (await freePort()) });
    try {
      for (const [i, variant] of args.variants.entries()) {
        const runner = new SequenceRunner(run, { joinDigits: first.app!.joinDigits, triggers: declared.triggers, declaredPeople: declared.people, limits: DEFAULT_LIMITS });
        if (i === 0) {
          await run.start().catch((e: Error) => {
            throw new SetupError(`the app under test could not be started: ${e.message.split('\n')[0]}`);
          });
        } else {
          run.useReading(cfgOf(variant));
          await run.restart();
        }
        if (i === 0 && args.levels.get('signatures-enforced') !== 'off' && !args.replay) {
          const probed = await probeSignatures(run);
          if (probed) found.push({ variant, found: { key: 'signatures-enforced@inboundCall', replay: '-', result: probed, violation: 0, foundAfterMs: Math.round(performance.now() - started) } });
          // The probes reached the app: a fresh one for the sequences, which must replay alike.
          await run.restart();
        }
        runner.markStarted();
        readingsRun.push(variant);
        const tally = () => {
          sequences += runner.sequences;
          actions += runner.actions;
          appStarts += runner.starts;
          rechecks += runner.rechecks;
        };
        if (args.replay) {
          const result = await replay(runner, args.replay, args.maxActions, declared.triggers.length > 0);
          checkSetup(result, declared);
          result.violations.filter((v) => args.levels.get(v.code) !== 'off').forEach((v) => found.push({ variant, found: { key: `${v.code}@${v.where}`, replay: args.replay!, result, violation: result.violations.indexOf(v), foundAfterMs: 0 } }));
          tally();
          continue;
        }
        // The first reading gets the budget; the others a sample (their findings are re-checked by the gate anyway).
        const share = i === 0 ? 1 : 0.05;
        const elapsed = performance.now() - started;
        const outcome = await search(runner, {
          seed: args.seed,
          runs: Math.max(1, Math.round(args.runs * share)),
          timeMs: Math.max(1000, (args.timeS * 1000 - elapsed) * (i === 0 ? (args.variants.length > 1 ? 0.7 : 1) : 1 / (args.variants.length - i))),
          maxActions: args.maxActions,
          levels: args.levels,
          exitFirst: args.exitFirst,
          stop: () => runner.firstResult !== undefined && setupProblem(runner.firstResult, declared) !== undefined,
          onProgress: (p) => {
            if (p.elapsedMs - lastProgress < 2000) return;
            lastProgress = p.elapsedMs;
            io.stdout.write(`exploring (${variant}): ${sequences + p.sequences} sequences, ${actions + p.actions} actions, ${found.length + p.findings} finding(s), ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
          },
        }, declared.triggers.length > 0);
        if (runner.firstResult) checkSetup(runner.firstResult, declared);
        for (const f of outcome.found) if (!found.some((g) => g.found.key === f.key)) found.push({ found: f, variant });
        tally();
        if (args.exitFirst && found.length) break;
      }
    } finally {
      await run.stop();
    }
  } catch (e) {
    if (e instanceof SetupError) {
      io.stderr.write(`fch app explore: ${e.message}\n`);
      return 2;
    }
    throw e;
  }

  // Each finding: its .feature, re-run by the gate on a fresh app, under every reading.
  const featuresDir = join(work, 'out', 'features');
  mkdirSync(featuresDir, { recursive: true });
  const findings: Finding[] = [];
  const conversations = new Map<number, Conversation>();
  const texts = new Map<number, string>();
  const readings = ['default', ...allVariantSettings()];
  const written = found.map(({ found: f, variant }, n) => {
    const v = f.result.violations[f.violation];
    const name = `${String(n + 1).padStart(2, '0')}-${v.code}.feature`;
    const text = featureText({ ...v, actions: f.result.actions, people: f.result.people, replay: f.replay, variant, maxActions: args.maxActions, triggers: declared.triggers });
    writeFileSync(join(featuresDir, name), text);
    return { f, variant, v, name, text };
  });
  if (args.verify !== 'off' && written.length) io.stdout.write(`checking ${written.map((w) => w.name).join(', ')} through the gate ${args.verify === 'all' ? 'under every reading' : 'under the default reading'}…\n`);
  const verdicts = args.verify === 'off' ? [] : await verifyFeatures(written.map((w) => ({ feature: join(featuresDir, w.name), code: w.v.code })), args.verify === 'all' ? readings : ['default'], join(work, 'verify'));
  for (const [n, { f, variant, v, name, text }] of written.entries()) {
    const inv = invariant(v.code);
    const gate = verdicts[n];
    const kept = !gate || gate.reproduced;
    if (kept) texts.set(n, text);
    conversations.set(n, f.result.conversation);
    findings.push({ code: v.code, level: args.levels.get(v.code) === 'warn' ? 'warn' : 'fail', meaning: inv.meaning, section: inv.section, where: v.where, message: v.message, variant, replay: f.replay, people: f.result.people, actions: f.result.actions.slice(0, v.atAction + 1), ...(kept ? { feature: join('features', name) } : {}), ...(gate ? { gate } : {}), foundAfterMs: Math.round(f.foundAfterMs) });
    if (!kept) rmSync(join(featuresDir, name));
  }
  const held = INVARIANTS.filter((i) => args.levels.get(i.code) !== 'off' && !findings.some((f) => f.code === i.code)).map((i) => ({ code: i.code, level: args.levels.get(i.code)! }));
  const file = FindingsFile.parse({ seed: args.seed, variants: readingsRun, ...(args.sampledFrom ? { sampledFrom: args.sampledFrom } : {}), sequences, appStarts, rechecks, actions, wallMs: Math.round(performance.now() - started), findings, held });

  const staged = join(work, 'out');
  writeFileSync(join(staged, 'findings.json'), JSON.stringify(file, null, 2));
  writeJunit(staged, file);
  writeAllure(join(staged, 'allure-results'), file, conversations, texts);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(staged, out, { recursive: true });

  const failing = findings.filter((f) => f.level === 'fail' && f.gate?.reproduced !== false);
  io.stdout.write(`\n${consoleSummary(file)}\n\n${failing.length ? 'app explore FAILED' : 'app explore passed'}: ${out}/findings.json, junit.xml, allure-results/\n`);
  return failing.length ? 1 : 0;
}

/** The built-in check, once per exploration: unsigned, forged and stale inboundCalls must be refused (§4.5). */
async function probeSignatures(run: GatedRun): Promise<SequenceResult | undefined> {
  const scenario = new GatedScenario(run, 'signature probes');
  const problems = await scenario.probeSignatures();
  if (problems.length === 0) return undefined;
  const message = `the app under test accepted webhooks it must reject (§4.5):\n  ${problems.map((p) => run.redact(p)).join('\n  ')}`;
  const entries = scenario.entries();
  return { actions: [], people: [], violations: [{ code: 'signatures-enforced', where: 'inboundCall', message, entries: entries.map((_e, i) => i), atAction: -1 }], conversation: scenario.conversation(entries, { message, entries: entries.map((_e, i) => i) }) };
}

/** An app that answers no inbound call, explored with no web trigger to start one, proves nothing. */
function checkSetup(result: SequenceResult, declared: Declared): void {
  const problem = setupProblem(result, declared);
  if (problem) throw new SetupError(problem);
}

export function setupProblem(result: SequenceResult, declared: Declared): string | undefined {
  if (declared.triggers.length) return undefined;
  const inbound = result.conversation.entries.filter((e) => e.kind === 'webhook' && e.requestType === 'inboundCall');
  if (inbound.length && inbound.every((e) => e.kind === 'webhook' && (e.status === 404 || e.status === 405))) {
    return `the app answers its voice URL with ${(inbound[0] as { status?: number }).status} and the features given declare no web trigger to start a call: give the feature files whose "the app receives a form POST to …" steps start one`;
  }
  return undefined;
}
