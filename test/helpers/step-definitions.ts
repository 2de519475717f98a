// The suite's step definitions as Cucumber loads them, for tests that check a step's text against
// them or run one directly. Loaded with `file: false`: the project's cucumber.js empties
// reports/allure-results when it loads.
import { loadConfiguration, loadSupport } from '@cucumber/cucumber/api';
import { SUITE_REQUIRE } from '../../support/cucumber-profile';

export async function loadStepDefinitions<T>(cwd = process.cwd()): Promise<T[]> {
  const { runConfiguration } = await loadConfiguration({ file: false, provided: { require: SUITE_REQUIRE, paths: [] } }, { cwd });
  return ((await loadSupport(runConfiguration, { cwd })) as unknown as { stepDefinitions: T[] }).stepDefinitions;
}
