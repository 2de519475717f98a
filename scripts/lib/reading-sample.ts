// A seeded sample of the documented readings, for check runs that need a reading's code path but
// not every reading again: the correct app's REST_TIMING modes (the awaited mode already runs every
// reading) and the Node 24 repeat of the app gate (`npm run check -- --readings sample`). The same
// seed gives the same sample, so a red sample is reproduced by running the check again with the seed
// it printed (FCH_CHECK_SEED).
import { allVariantSettings } from '../../support/simulator/variants';

export const SAMPLE_SEED = Number(process.env.FCH_CHECK_SEED ?? 1);

/** How the check's app gate picks readings: every one, or the default and a seeded sample. */
export type ReadingsMode = 'all' | 'sample';

/** `--readings all|sample` from the check's arguments (all when absent). */
export function readingsMode(argv: string[] = process.argv): ReadingsMode {
  const i = argv.indexOf('--readings');
  const value = i >= 0 ? argv[i + 1] : 'all';
  if (value !== 'all' && value !== 'sample') throw new Error(`--readings takes all or sample, not "${value}"`);
  return value;
}

/**
 * The default reading and `count` others. `slot` picks a different stretch of the shuffled list,
 * so two samples of one run (REST_TIMING after-answer and deferred) cover different readings.
 */
export function sampleReadings(count: number, slot = 0, seed = SAMPLE_SEED): string[] {
  const others = shuffled(allVariantSettings(), seed);
  const start = (slot * count) % Math.max(others.length, 1);
  const picked = [...others, ...others].slice(start, start + Math.min(count, others.length));
  return ['default', ...picked];
}

/** `--variant` arguments of `fch app test` for a list of readings. */
export const variantArgs = (readings: string[]): string[] => readings.flatMap((v) => ['--variant', v]);

// Fisher-Yates with a small deterministic generator (mulberry32): no dependency, same order on every machine.
function shuffled<T>(items: T[], seed: number): T[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
