// Runs Cucumber many times in this process with support code loaded once. Module state that a run
// owns (the harness's configuration, the receiver, the app under test) is set up in BeforeAll and
// torn down in AfterAll, so a run sees its own environment: the runner sets the run's variables on
// process.env for its duration (runs in one process are sequential) and restores them after.
import { loadConfiguration, loadSupport, runCucumber, type IRunConfiguration } from '@cucumber/cucumber/api';
import UnflushedWriter from '../allure-writer';
import { startResults } from '../results-dir';
import { RunSpec, type RunOutcome } from './protocol';

type Support = Awaited<ReturnType<typeof loadSupport>>;

export class SupportSession {
  private support: Support | undefined;
  private supportKey = '';

  constructor(private readonly cwd: string) {}

  async run(input: RunSpec): Promise<RunOutcome> {
    const spec = RunSpec.parse(input);
    const started = performance.now();
    const restore = applyEnv(spec.env);
    try {
      if (spec.startResultsDir) startResults(spec.startResultsDir, { root: this.cwd });
      const { unflushedAllureWriter, ...options } = spec.cucumber;
      const resultsDir = options.formatOptions.resultsDir;
      if (unflushedAllureWriter && typeof resultsDir === 'string') options.formatOptions = { ...options.formatOptions, writer: new UnflushedWriter({ resultsDir }) };
      const { runConfiguration } = await loadConfiguration({ file: false, provided: options as never }, { cwd: this.cwd, env: process.env });
      const support = await this.load(runConfiguration, spec);
      const { success } = await runCucumber({ ...runConfiguration, support }, { cwd: this.cwd, env: process.env });
      return { label: spec.label, success, wallMs: performance.now() - started };
    } catch (e) {
      return { label: spec.label, success: false, wallMs: performance.now() - started, error: describeError(e) };
    } finally {
      restore();
    }
  }

  /** The support code of the first run; later runs must ask for the same (modules load once). */
  private async load(config: IRunConfiguration, spec: ReturnType<typeof RunSpec.parse>): Promise<Support> {
    const key = JSON.stringify([spec.cucumber.require, spec.cucumber.requireModule]);
    if (this.support) {
      if (key !== this.supportKey) throw new Error(`run ${spec.label} asks for other support code than this worker loaded (${this.supportKey}); start another sweep for it`);
      return this.support;
    }
    this.support = await loadSupport(config, { cwd: this.cwd, env: process.env });
    this.supportKey = key;
    return this.support;
  }
}

/** Set `vars` on process.env (null deletes); returns the function that puts the old values back. */
function applyEnv(vars: Record<string, string | null>): () => void {
  const before = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(vars)) {
    before.set(name, process.env[name]);
    if (value === null) delete process.env[name];
    else process.env[name] = value;
  }
  return () => {
    for (const [name, value] of before) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/**
 * An error with its causes: Cucumber wraps a failing BeforeAll hook's error as the cause of "a
 * BeforeAll hook errored, process exiting: <location>", and `stack` alone would lose the reason.
 * The messages, then where the innermost was thrown: short, so a tail of the run's output says why.
 */
export function describeError(e: unknown): string {
  const chain: unknown[] = [];
  for (let cur: unknown = e; cur !== undefined && chain.length < 5; cur = (cur as { cause?: unknown })?.cause) chain.push(cur);
  const messages = chain.map((c) => (c instanceof Error ? c.message : String(c)));
  const innermost = chain[chain.length - 1];
  const stack = innermost instanceof Error && innermost.stack ? innermost.stack.split('\n').find((l) => l.trim().startsWith('at '))?.trim() ?? '' : '';
  return [messages.join('\n  caused by: '), stack].filter(Boolean).join('\n');
}
