// The invariants every FreeClimb app must keep, whatever its flow (issue 23, item 3): a stable
// code, a one-line meaning, the reference section it rests on, and a default level. The README's
// table of `fch app explore` lists the same rows (test/explore-invariants.test.ts keeps them equal).
import type { CheckLevel, InvariantCode } from '../../schemas/explore';

export interface Invariant {
  code: InvariantCode;
  meaning: string;
  section: string;
  level: Exclude<CheckLevel, 'off'>;
  /** A fragment of the gate's failure that says the written .feature failed for this reason. */
  gateReason: RegExp;
}

export const INVARIANTS: readonly Invariant[] = [
  { code: 'webhook-2xx', meaning: 'every webhook is answered with a 2xx within the webhook timeout', section: '§1.3, §4.2', level: 'fail', gateReason: /every webhook needs a 2xx|still waiting for its answer/ },
  { code: 'valid-percl', meaning: 'every answer FreeClimb runs as PerCL is valid PerCL', section: '§5.1', level: 'fail', gateReason: /invalid PerCL/ },
  { code: 'app-alive', meaning: 'the app process stays alive and keeps accepting connections', section: '§4.2', level: 'fail', gateReason: /the app under test (exited|stopped accepting|died)/ },
  { code: 'rest-well-formed', meaning: 'the app sends no malformed REST request (no 400)', section: '§1.3, §1.4', level: 'fail', gateReason: /malformed REST request/ },
  { code: 'signatures-enforced', meaning: 'unsigned, forged and stale webhooks are refused', section: '§4.5', level: 'fail', gateReason: /accepted webhooks it must reject/ },
  { code: 'conference-known', meaning: 'no command or REST request uses a conference the app ended or never had', section: '§6.1, §6.12', level: 'fail', gateReason: /a conference it (ended|never had)/ },
  { code: 'platform-ended-call', meaning: 'no call is ended by the platform for an app error (perclProcessingError, maxRedirectsError, webhookFailed, webhookInvalidResponse, appInvalidPercl)', section: '§3.4, §5.3 Redirect', level: 'fail', gateReason: /ended by the platform/ },
  { code: 'outdial-outcome-handled', meaning: 'a caller whose OutDial was not answered, busy, failed or met a machine is not left waiting with nothing to happen', section: '§5.3 OutDial, §6.16', level: 'fail', gateReason: /'s call to end/ },
  { code: 'caller-left-alone', meaning: 'a caller is not left alone in a conference long after the party they were connected to left', section: '§6.9, §6.16', level: 'warn', gateReason: /'s call to end/ },
];

export const invariant = (code: InvariantCode): Invariant => INVARIANTS.find((i) => i.code === code)!;

/** Defaults where the docs leave the limit open (configurable with --alone-after / --waiting-after). */
export interface Limits {
  /** Virtual seconds a caller may wait after an OutDial outcome before nothing-happened is a finding. */
  waitingSec: number;
  /** Virtual seconds a caller may stay alone after the other party left. */
  aloneSec: number;
}
export const DEFAULT_LIMITS: Limits = { waitingSec: 60, aloneSec: 300 };

/** Parses `--check CODE=off|warn|fail`; an unknown code or level is one clear error. */
export function parseCheck(spec: string, levels: Map<InvariantCode, CheckLevel>): void {
  const [code, level] = spec.split('=');
  const known = INVARIANTS.find((i) => i.code === code);
  if (!known) throw new Error(`--check ${spec}: no invariant "${code}"; codes: ${INVARIANTS.map((i) => i.code).join(', ')}`);
  if (level !== 'off' && level !== 'warn' && level !== 'fail') throw new Error(`--check ${spec}: the level must be off, warn or fail`);
  levels.set(known.code, level);
}

export function defaultLevels(requireSignatures: boolean): Map<InvariantCode, CheckLevel> {
  // The built-in check's own rule: HARNESS_APP_REQUIRE_SIGNATURES=false makes it a warning.
  return new Map(INVARIANTS.map((i) => [i.code, i.code === 'signatures-enforced' && !requireSignatures ? 'warn' : i.level]));
}
