// Further `npm run check` stages, keyed by name (selectable with --only). Kept apart so that live
// mode can add its end-to-end proof without touching the core of the self-check.
import { appGateStage } from './app-gate-check';
import { appLiveStage } from './app-live-check';
import { docsStage } from './docs-check';
import { exploreStage } from './explore-check';
import { importsStage } from './import-graph';
import type { StageFn } from './lib/stage';
import { liveFaultsStage } from './live-faults';
import { liveProof } from './live-proof';
import { publishStage } from './publish-check';
import type { FaultName } from '../support/simulator/faults';
import { reportStage } from './report-check';
import { shardsStage } from './shards-check';

export const EXTRA_STAGES: Record<string, StageFn> = {
  // The suite's own Allure results -> `npm run report` -> the HTML report checked in chromium.
  report: reportStage,
  // test:live, live:setup and live:doctor against the simulator's HTTP server, plus negative runs.
  live: liveProof,
  // Every fault that breaks a live-observable claim, caught in live mode against the simulator's
  // HTTP server (`--fault` narrows it, as for the faults stage).
  'live-faults': (workDir) => liveFaultsStage(workDir, selectedFaults()),
  // fch app test: the example app green under every reading, each seeded bug caught where
  // bugs.json says, and the packed tarball gating the example from a temporary project.
  'app-gate': appGateStage,
  // fch app test --live against the simulator's HTTP server standing in for FreeClimb: the examples green,
  // the live-observable seeded bugs red where bugs.json says, the app's signature check on forwarded
  // requests, a URL from another host reported, Ctrl-C leaving nothing behind (issue 24).
  'app-live': appLiveStage,
  // docs/configuration.md against the configuration schema; links, anchors and commands in the docs.
  docs: docsStage,
  // Imports run downhill: no upward import between layers, no import cycle (scripts/lib/import-rules.ts).
  imports: importsStage,
  // npm publish --dry-run against a registry stand-in on 127.0.0.1: the package holds only what a user needs.
  publish: publishStage,
  // fch app explore: each correct example without a finding under every reading, each seeded bug
  // its bugs.json declares with `explore` found with the expected code, its .feature failing on the
  // buggy app and passing on the correct one, the same findings for the same seed.
  explore: exploreStage,
  // Three shards of npm test and of the example's gate, merged by fch report: the unsharded set and verdicts, one report.
  shards: shardsStage,
};

function selectedFaults(): FaultName[] | undefined {
  const i = process.argv.indexOf('--fault');
  return i >= 0 ? (process.argv[i + 1]?.split(',') as FaultName[]) : undefined;
}
