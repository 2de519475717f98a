// Further `npm run check` stages, keyed by name (selectable with --only). Kept apart so that live
// mode can add its end-to-end proof without touching the core of the self-check.
import { appGateStage } from './app-gate-check';
import type { StageFn } from './lib/stage';
import { liveProof } from './live-proof';
import { reportStage } from './report-check';

export const EXTRA_STAGES: Record<string, StageFn> = {
  // The suite's own Allure results -> `npm run report` -> the HTML report checked in chromium.
  report: reportStage,
  // test:live, live:setup and live:doctor against the simulator's HTTP server, plus negative runs.
  live: liveProof,
  // fch app test: the example app green under every reading, each seeded bug caught where
  // bugs.json says, and the packed tarball gating the example from a temporary project.
  'app-gate': appGateStage,
};
