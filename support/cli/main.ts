// The `fch` dispatcher. Each command lives in its own module; this file only routes argv and
// turns a command's outcome into an exit code (0 ok, 1 failure, 2 usage or input error).
import { readFile } from 'node:fs/promises';
import { runPerclValidate, type CliIo } from './percl-validate';

export const USAGE = `usage: fch <command>

commands:
  percl validate <file|->   validate a PerCL script (- reads stdin); exit 0 valid, 1 invalid, 2 unreadable
  percl commands            list every PerCL command validated: attributes, rules, webhooks, open points
  mock [--port N] [--variant axis=option]... [--fault name]
                            serve the FreeClimb simulator over HTTP
  live doctor|setup|sweep [--yes] [--prefix p]
                            prepare, check and clean up a real FreeClimb account (fch live help)
  app test [paths…] [--all-variants | --variant axis=option,…] [--no-builtin] [--shard I/N]
                            gate an app: run it against the simulator under every documented reading
                            (--shard: part I of N of the reading × scenario pairs, for a CI matrix)
  app test --live [paths…] [--no-builtin] [--shard I/N] [--parallel N]
                            gate the app against a real account, the harness between FreeClimb and it
                            (--parallel: N workers, each with its own copy of the app, one public URL)
  app live setup|doctor|sweep [--yes]
                            prepare and check the account for a live app gate; list or end its leftovers
  app explore [paths…] [--runs N] [--time S] [--seed S] [--replay SEED:PATH] [--check CODE=LEVEL]…
                            explore an app with generated caller sequences, check invariants after
                            every action, write each finding as a minimal .feature (fch app explore --help)
  report [RESULTS_DIR…]     from reports/allure-results: the Allure report (folder and single file),
                            its history, and reports/conformance.html (needs Java); given several
                            results folders (one per shard), merges them (and their JUnit) first
  help                      show this help
`;

/**
 * The commands with a usage text of their own, which lists all their flags (USAGE above shows only
 * the main ones), loaded on demand like the commands themselves. The docs check
 * (scripts/lib/doc-commands.ts) takes the commands from USAGE and their flags from USAGE and from
 * here, so that a command the README or docs name is one `fch` accepts.
 */
export const COMMANDS: readonly { words: readonly string[]; usage: () => string }[] = [
  { words: ['percl', 'validate'], usage: () => (require('./percl-validate') as typeof import('./percl-validate')).PERCL_VALIDATE_USAGE },
  { words: ['percl', 'commands'], usage: () => 'usage: fch percl commands' },
  { words: ['mock'], usage: () => `${(require('../simulator/server-cli') as typeof import('../simulator/server-cli')).MOCK_USAGE} [--help]` },
  // doctor and setup take no arguments (parseLiveArgs refuses any); only sweep has flags.
  { words: ['live', 'doctor'], usage: () => 'usage: fch live doctor' },
  { words: ['live', 'setup'], usage: () => 'usage: fch live setup' },
  { words: ['live', 'sweep'], usage: () => (require('../live/cli') as typeof import('../live/cli')).LIVE_USAGE },
  { words: ['live', 'help'], usage: () => 'usage: fch live help' },
  { words: ['app', 'test'], usage: () => (require('./app-test') as typeof import('./app-test')).APP_TEST_USAGE },
  { words: ['app', 'explore'], usage: () => `${(require('./app-explore') as typeof import('./app-explore')).APP_EXPLORE_USAGE} [--help]` },
  { words: ['app', 'help'], usage: () => 'usage: fch app help' },
  { words: ['report'], usage: () => (require('../report/pipeline') as typeof import('../report/pipeline')).REPORT_USAGE },
  { words: ['help'], usage: () => 'usage: fch help' },
];

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    readFile: (file) => readFile(file, 'utf8'),
  };
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'help':
    case '--help':
    case '-h':
      io.stdout.write(USAGE);
      return 0;
    case 'percl':
      if (rest[0] === 'validate') return runPerclValidate(rest.slice(1), io);
      if (rest[0] === 'commands' && rest.length === 1) {
        io.stdout.write((await import('../percl/catalog-text')).catalogMarkdown());
        return 0;
      }
      break;
    case 'mock':
      return runMock(rest, io);
    case 'app':
      // --live: against a real account, the harness between FreeClimb and the app (support/cli/app-live.ts).
      if (rest[0] === 'test' && rest.includes('--live')) return (await import('./app-live')).runAppTestLive(rest.slice(1), io);
      if (rest[0] === 'live') return (await import('./app-live')).runAppLiveCli(rest.slice(1), io);
      if (rest[0] === 'test') return (await import('./app-test')).runAppTest(rest.slice(1), io);
      if (rest[0] === 'explore') {
        if (rest.includes('--help') || rest.includes('-h')) {
          io.stdout.write((await import('./app-explore')).APP_EXPLORE_USAGE);
          return 0;
        }
        return (await import('./app-explore')).runAppExplore(rest.slice(1), io);
      }
      if (rest[0] === 'help' || rest[0] === undefined) {
        io.stdout.write((await import('./app-test')).APP_TEST_USAGE);
        return rest[0] === undefined ? 2 : 0;
      }
      break;
    case 'report':
      return (await import('../report/pipeline')).runReport(io, 'fch report', rest);
    case 'live':
      // Loaded lazily like mock: the REST client pulls in Playwright, `percl validate` must stay fast.
      return (await import('../live/cli')).runLiveCli(rest, io);
  }
  io.stderr.write(`${command === undefined ? 'fch: no command given' : `fch: unknown command "${argv.join(' ')}"`}\n\n${USAGE}`);
  return 2;
}

type MockServerModule = { runMockServer(args: string[]): unknown };

/**
 * Loaded lazily: the simulator is large and `percl validate` must stay fast. Its module may
 * resolve once the server is listening; a non-number result means "running", so the caller must
 * not force an exit (bin/fch.js only sets process.exitCode).
 */
async function runMock(args: string[], io: CliIo): Promise<number> {
  let loaded: unknown;
  try {
    loaded = require('../simulator/server-cli');
  } catch (e) {
    io.stderr.write(`fch mock: cannot load the simulator (support/simulator/server-cli): ${firstLine((e as Error).message)}\n`);
    return 1;
  }
  if (!isMockServerModule(loaded)) {
    io.stderr.write('fch mock: support/simulator/server-cli does not export runMockServer(args)\n');
    return 1;
  }
  const result = await loaded.runMockServer(args);
  return typeof result === 'number' ? result : 0;
}

// Node appends the whole require stack to MODULE_NOT_FOUND messages; the first line says it all.
const firstLine = (message: string) => message.split('\n')[0];

function isMockServerModule(value: unknown): value is MockServerModule {
  return typeof value === 'object' && value !== null && typeof (value as { runMockServer?: unknown }).runMockServer === 'function';
}
