// `fch live <doctor|setup|sweep>`: the tools for preparing and cleaning up a real FreeClimb account.
// They always load the live configuration (HARNESS_MODE is forced to live), so a missing variable
// is reported up front, every bad one at once and without secrets, with exit code 2.
import type { CliIo } from '../cli-io';
import { ConfigError, loadConfig, loadDotEnv, type HarnessConfig } from '../config';
import { runLiveDoctor } from './doctor';
import { runLiveSetup } from './setup';
import { runLiveSweep, type SweepOptions } from './sweep';
import { loadAppLiveConfig } from '../app-gate/live/live-config';

export const LIVE_USAGE = `usage: fch live <command>

commands (configuration from the environment and .env, always in live mode):
  doctor                    check credentials, numbers, routing, public URL and signing secret
  setup                     create/update the fch-harness application and route number B to it
  sweep [--yes] [--prefix p]
                            list conferences left behind (alias prefix p, default fch-);
                            --yes terminates them
`;

type Parsed = { command: 'doctor' | 'setup' } | { command: 'sweep'; opts: SweepOptions } | { command: 'help' } | { error: string };

export function parseLiveArgs(args: string[]): Parsed {
  const [command, ...rest] = args;
  switch (command) {
    case undefined:
      return { error: 'no live command given' };
    case 'help':
    case '--help':
    case '-h':
      return { command: 'help' };
    case 'doctor':
    case 'setup':
      return rest.length === 0 ? { command } : { error: `${command} takes no arguments, got ${rest.join(' ')}` };
    case 'sweep': {
      const opts: SweepOptions = { yes: false };
      for (let i = 0; i < rest.length; i++) {
        const arg = rest[i];
        if (arg === '--yes' || arg === '-y') opts.yes = true;
        else if (arg === '--prefix') {
          const value = rest[++i];
          if (value === undefined || value.startsWith('-')) return { error: '--prefix needs a value' };
          opts.prefix = value;
        } else if (arg.startsWith('--prefix=')) opts.prefix = arg.slice('--prefix='.length);
        else return { error: `unknown sweep argument ${JSON.stringify(arg)}` };
      }
      return { command: 'sweep', opts };
    }
    default:
      return { error: `unknown live command ${JSON.stringify(command)}` };
  }
}

/**
 * `env` defaults to process.env (with `.env` loaded, variables already set win); tests pass their
 * own environment, used as given.
 */
export async function runLiveCli(args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseLiveArgs(args);
  if ('error' in parsed) {
    io.stderr.write(`fch live: ${parsed.error}\n\n${LIVE_USAGE}`);
    return 2;
  }
  if (parsed.command === 'help') {
    io.stdout.write(LIVE_USAGE);
    return 0;
  }

  let cfg: HarnessConfig;
  try {
    if (env === process.env) loadDotEnv();
    cfg = loadConfig({ ...env, HARNESS_MODE: 'live' });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // The message lists every bad variable and never contains a secret's value.
    io.stderr.write(`fch live ${parsed.command}: ${error.message}\n`);
    return 2;
  }

  switch (parsed.command) {
    case 'doctor':
      return runLiveDoctor(cfg, io);
    case 'setup':
      return runLiveSetup(cfg, io);
    case 'sweep': {
      // With the live app gate configured, its leftover calls are listed (and with --yes ended) too.
      let appGate;
      try {
        appGate = env.FREECLIMB_APP_NUMBER ? loadAppLiveConfig(env) : undefined;
      } catch (error) {
        io.stderr.write(`fch live sweep: ${(error as Error).message}\n`);
        return 2;
      }
      return runLiveSweep(cfg, io, { ...parsed.opts, appGate });
    }
  }
}
