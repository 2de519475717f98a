// App gating: web triggers, the requests that start calls from a web page or another service.
import { When, type DataTable } from '@cucumber/cucumber';
import { gatedScenario } from '../../support/app-gate/world-access';
import { formBody, jsonBody } from '../../support/app-gate/web-trigger';
import type { HarnessWorld } from '../../support/world';

When('the app receives a form POST to {string}:', async function (this: HarnessWorld, path: string, table: DataTable) {
  await gatedScenario(this).receive(path, 'application/x-www-form-urlencoded', formBody(table.rowsHash()));
});

When('the app receives a JSON POST to {string}:', async function (this: HarnessWorld, path: string, doc: string) {
  await gatedScenario(this).receive(path, 'application/json', jsonBody(doc));
});
