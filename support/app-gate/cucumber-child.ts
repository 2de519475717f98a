// One app-gate run in its own process: the Cucumber API with an explicit configuration (never a
// cucumber.js found in the team's folder), the harness's World, hooks and steps, the team's
// feature files. `fch app test` starts one of these per documented reading, so each gets a fresh
// simulator and a fresh app. The options come in HARNESS_APP_CUCUMBER (JSON, written by app-test).
import { loadConfiguration, runCucumber, type IConfiguration } from '@cucumber/cucumber/api';
import { z } from 'zod';

const ChildOptions = z.object({
  paths: z.array(z.string()).min(1),
  require: z.array(z.string()),
  format: z.array(z.union([z.string(), z.tuple([z.string(), z.string()])])),
  formatOptions: z.record(z.string(), z.unknown()),
});

async function main(): Promise<number> {
  const options = ChildOptions.parse(JSON.parse(process.env.HARNESS_APP_CUCUMBER ?? '{}'));
  const cwd = process.cwd();
  // formatOptions is JSON by construction (it came through JSON.parse).
  const provided = options as Partial<IConfiguration>;
  const { runConfiguration } = await loadConfiguration({ file: false, provided }, { cwd });
  const { success } = await runCucumber(runConfiguration, { cwd });
  return success ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    process.stderr.write(`app gate: ${e.stack ?? e.message}\n`);
    process.exitCode = 2;
  },
);
