// Allure's trends and per-test history come from a `history/` folder: `allure generate` reads it from
// the results dir and writes the updated one into the report. A results dir now holds one run only
// and the report folder is regenerated with --clean, so the history is kept in a folder of its own,
// reports/allure-history, which a CI can carry from one run to the next (cache or artifact).
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Before generating: the kept history into <results>/history. False when there is none yet. */
export function restoreHistory(historyDir: string, resultsDir: string): boolean {
  if (!existsSync(historyDir)) return false;
  const target = join(resultsDir, 'history');
  rmSync(target, { recursive: true, force: true });
  cpSync(historyDir, target, { recursive: true });
  return true;
}

/** After generating: the report's history (this run added) replaces the kept one. */
export function saveHistory(reportDir: string, historyDir: string): boolean {
  const source = join(reportDir, 'history');
  if (!existsSync(source)) return false;
  rmSync(historyDir, { recursive: true, force: true });
  cpSync(source, historyDir, { recursive: true });
  return true;
}
