// `fch live sweep [--yes] [--prefix p]`: find conferences the harness left behind (not terminated,
// alias starting with the prefix, `fch-` by default) and, with --yes, terminate them. Without
// --yes it only lists them. A conference whose alias does not start with the prefix is never
// touched, whatever its status. With FREECLIMB_APP_NUMBER set, the calls a live app gate left (and
// the conferences they are in) are listed too, and ended with --yes (support/app-gate/live/sweep.ts).
import type { CliIo } from '../cli-io';
import type { HarnessConfig } from '../config';
import { ApiError, type FreeClimbClient } from '../client/freeclimb-client';
import type { ConferenceResult } from '../schemas/rest';
import { liveRunPrefixStem } from '../shard';
import { describeError, liveClient, printer, type LiveToolOptions } from './setup';
import { describeGateLeftovers, endGateLeftovers, findGateLeftovers, type GateLeftovers, type GateNumbers } from '../app-gate/live/sweep';

// `fch-s2-` for shard 2 (HARNESS_SHARD): a shard's sweep leaves the conferences of the others running.
export const DEFAULT_SWEEP_PREFIX = liveRunPrefixStem();
/** The statuses a conference can still leave; terminated is final and has nothing to sweep. */
export const SWEEPABLE_STATUSES = ['empty', 'populated', 'inProgress'] as const;
/** A shorter prefix would match unrelated conferences (the same floor as HARNESS_RUN_PREFIX). */
export const MIN_PREFIX_LENGTH = 3;

export interface SweepOptions extends LiveToolOptions {
  /** Terminate what was found; without it the sweep only lists. */
  yes: boolean;
  /** Alias prefix; default `fch-`. */
  prefix?: string;
  /** The live app gate's numbers, when FREECLIMB_APP_NUMBER is set: its leftover calls are swept too. */
  appGate?: GateNumbers;
}

/** Not-terminated conferences whose alias starts with `prefix`, oldest first, each once. */
export async function findSweepable(client: FreeClimbClient, prefix: string): Promise<ConferenceResult[]> {
  const byId = new Map<string, ConferenceResult>();
  for (const status of SWEEPABLE_STATUSES) {
    for (const conference of await client.listConferences({ status })) {
      // Filtered again: the alias filter is exact-match at best, and a status filter the API
      // ignored must not make a terminated conference look sweepable.
      if (conference.status === 'terminated' || !conference.alias?.startsWith(prefix)) continue;
      byId.set(conference.conferenceId, conference);
    }
  }
  return [...byId.values()].sort((a, b) => Date.parse(a.dateCreated) - Date.parse(b.dateCreated));
}

export async function runLiveSweep(cfg: HarnessConfig, io: Pick<CliIo, 'stdout' | 'stderr'>, opts: SweepOptions): Promise<number> {
  const print = printer(cfg, io);
  const prefix = opts.prefix ?? DEFAULT_SWEEP_PREFIX;
  if (prefix.length < MIN_PREFIX_LENGTH) {
    print.err(`fch live sweep: --prefix ${JSON.stringify(prefix)} is too short (at least ${MIN_PREFIX_LENGTH} characters), it would match unrelated conferences`);
    return 2;
  }
  let client: FreeClimbClient | undefined = opts.client;
  try {
    client ??= await liveClient(cfg);
    const found = await findSweepable(client, prefix);
    // A live app gate's calls: its conferences are the app's, named as the app likes, so they are found through the gate's calls.
    const gate = opts.appGate ? await findGateLeftovers(client, cfg, opts.appGate) : undefined;
    const sweepGate = async (c: FreeClimbClient, g: GateLeftovers | undefined): Promise<void> => {
      if (!g || g.calls.length === 0) return;
      for (const line of describeGateLeftovers(g)) print.out(line);
      print.out(opts.yes ? await endGateLeftovers(c, g) : 'dry run: pass --yes to end them');
    };
    if (found.length === 0) {
      print.out(`no conferences with an alias starting with ${JSON.stringify(prefix)} are left (none empty, populated or inProgress)`);
      await sweepGate(client, gate);
      return 0;
    }
    print.out(`${found.length} conference(s) with an alias starting with ${JSON.stringify(prefix)} not terminated:`);
    for (const c of found) print.out(`  ${c.conferenceId}  ${c.alias}  ${c.status}  ${c.dateCreated}`);
    if (!opts.yes) {
      print.out(`dry run: pass --yes to terminate ${found.length} conference(s)`);
      await sweepGate(client, gate);
      return 0;
    }
    let failures = 0;
    for (const c of found) {
      const outcome = await terminate(client, c.conferenceId).catch((error: unknown) => {
        failures++;
        return `failed: ${describeError(cfg, error)}`;
      });
      print.out(`${c.conferenceId} ${c.alias}: ${outcome}`);
    }
    print.out(failures === 0 ? `terminated ${found.length} conference(s)` : `${failures} of ${found.length} conference(s) could not be terminated`);
    await sweepGate(client, gate);
    return failures === 0 ? 0 : 1;
  } catch (error) {
    print.err(`fch live sweep: ${describeError(cfg, error)}`);
    return 1;
  } finally {
    if (client !== opts.client) await client?.dispose();
  }
}

/** A conference that ended between listing and terminating is not a failure: the sweep's goal holds. */
async function terminate(client: FreeClimbClient, conferenceId: string): Promise<string> {
  try {
    await client.terminateConference(conferenceId);
    return 'terminated';
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      const now = await client.getConference(conferenceId).catch(() => undefined);
      if (now?.status === 'terminated') return 'already terminated';
    }
    throw error;
  }
}
