// The process a live app gate runs Cucumber in (spawned by `fch app test --live`). A process of its
// own, so that Ctrl-C reaches the hooks' cleanup while the CLI waits for it to end. The run's
// description comes as JSON in argv[2] (support/runner/protocol.ts's RunSpec).
import { SupportSession } from '../../runner/in-process';

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}');
  const outcome = await new SupportSession(process.cwd()).run(spec);
  if (outcome.error) process.stderr.write(`${outcome.error}\n`);
  process.exit(outcome.success ? 0 : 1);
}

void main();
