// executor.json links a report to the CI build that made it; a wrong CI guess or a field Allure
// does not read would show a broken link in every report, so each CI's mapping is pinned here.
// Also pinned: the results-dir guard (emptying must never hit the wrong folder) and the history
// key that links into the single-file report rely on.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { executorFromEnv } from '../support/report/allure-executor';
import { allureHistoryKey } from '../support/report/allure-links';
import { startResults, unsafeResultsDir } from '../support/results-dir';
import { tempDir } from './helpers/temp-dir';

describe('executorFromEnv', () => {
  it('is undefined outside CI', () => {
    assert.equal(executorFromEnv({}), undefined);
    assert.equal(executorFromEnv({ CI: 'false' }), undefined);
  });

  it('maps GitHub Actions variables, with the attempt of a re-run', () => {
    const env = {
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/conference-line',
      GITHUB_RUN_ID: '9876543210',
      GITHUB_RUN_NUMBER: '42',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_WORKFLOW: 'app gate',
      GITHUB_JOB: 'gate',
    };
    assert.deepEqual(executorFromEnv(env), {
      name: 'GitHub Actions',
      type: 'github',
      url: 'https://github.com/acme/conference-line/actions',
      buildOrder: 42,
      buildName: 'app gate #42 · gate',
      buildUrl: 'https://github.com/acme/conference-line/actions/runs/9876543210',
      reportName: 'FreeClimb conference conformance',
    });
    const rerun = executorFromEnv({ ...env, GITHUB_RUN_ATTEMPT: '2' });
    assert.equal(rerun?.buildUrl, 'https://github.com/acme/conference-line/actions/runs/9876543210/attempts/2');
    assert.equal(rerun?.buildName, 'app gate #42 (attempt 2) · gate');
  });

  it('maps GitLab CI variables, ordering builds by the project-scoped pipeline IID', () => {
    const e = executorFromEnv({
      CI: 'true',
      GITLAB_CI: 'true',
      CI_PIPELINE_ID: '1234567',
      CI_PIPELINE_IID: '88',
      CI_PIPELINE_URL: 'https://gitlab.example.com/acme/conf/-/pipelines/1234567',
      CI_JOB_URL: 'https://gitlab.example.com/acme/conf/-/jobs/555',
      CI_JOB_NAME: 'conformance',
      CI_PROJECT_PATH: 'acme/conf',
      CI_PROJECT_URL: 'https://gitlab.example.com/acme/conf',
    });
    assert.deepEqual(e, {
      name: 'GitLab CI',
      type: 'gitlab',
      url: 'https://gitlab.example.com/acme/conf',
      buildOrder: 88,
      buildName: 'acme/conf pipeline #88 · conformance',
      buildUrl: 'https://gitlab.example.com/acme/conf/-/jobs/555',
      reportName: 'FreeClimb conference conformance',
    });
  });

  it('maps Jenkins variables', () => {
    assert.deepEqual(executorFromEnv({ JENKINS_URL: 'https://ci.example.com/', BUILD_NUMBER: '17', BUILD_URL: 'https://ci.example.com/job/conf/17/', JOB_NAME: 'conf' }), {
      name: 'Jenkins',
      type: 'jenkins',
      url: 'https://ci.example.com/',
      buildOrder: 17,
      buildName: 'conf #17',
      buildUrl: 'https://ci.example.com/job/conf/17/',
      reportName: 'FreeClimb conference conformance',
    });
  });

  it('falls back to a generic CI executor for CI=true, and leaves out what it does not know', () => {
    assert.deepEqual(executorFromEnv({ CI: 'true' }), { name: 'CI', type: 'ci', reportName: 'FreeClimb conference conformance' });
    assert.deepEqual(executorFromEnv({ GITHUB_ACTIONS: 'true' }), { name: 'GitHub Actions', type: 'github', reportName: 'FreeClimb conference conformance' });
    // Allure needs a number to order builds; anything else is left out rather than guessed.
    assert.equal(executorFromEnv({ GITHUB_ACTIONS: 'true', GITHUB_RUN_NUMBER: 'n/a' })?.buildOrder, undefined);
  });
});

describe('results dir guard', () => {
  const root = tempDir('fch-root');
  it('refuses /, the project root, its ancestors, reports/ and oddly named dirs', () => {
    assert.match(unsafeResultsDir('/', root) ?? '', /filesystem root/);
    assert.match(unsafeResultsDir(root, root) ?? '', /project root/);
    assert.match(unsafeResultsDir(join(root, '..'), root) ?? '', /project root/);
    assert.match(unsafeResultsDir(join(root, 'reports'), root) ?? '', /reports\//);
    assert.match(unsafeResultsDir(join(root, 'src'), root) ?? '', /does not look like/);
  });
  it('accepts results dirs and the per-run dirs under allure/', () => {
    assert.equal(unsafeResultsDir(join(root, 'reports', 'allure-results'), root), undefined);
    assert.equal(unsafeResultsDir(join(root, 'reports', 'self-check', 'allure', 'fault-x'), root), undefined);
    assert.equal(unsafeResultsDir('/tmp/my-results', root), undefined);
  });
  it('empties only the results dir, or appends with HARNESS_KEEP_RESULTS=1, and throws without deleting on a bad dir', () => {
    const dir = join(root, 'reports', 'allure-results');
    mkdirSync(join(dir, 'history'), { recursive: true });
    writeFileSync(join(dir, 'old-result.json'), '{}');
    writeFileSync(join(root, 'reports', 'keep.txt'), 'x');
    assert.equal(startResults(dir, { root, env: { HARNESS_KEEP_RESULTS: '1' } }), 'kept');
    assert.deepEqual(readdirSync(dir).sort(), ['history', 'old-result.json']);
    assert.equal(startResults(dir, { root, env: {} }), 'emptied');
    assert.deepEqual(readdirSync(dir), []);
    assert.deepEqual(readdirSync(join(root, 'reports')).sort(), ['allure-results', 'keep.txt']);
    assert.throws(() => startResults(join(root, 'reports'), { root, env: {} }), /refusing to empty/);
    assert.ok(readdirSync(join(root, 'reports')).includes('keep.txt'));
  });
});

describe('allureHistoryKey', () => {
  it('is Allure 2.46’s key: md5(testCaseId).md5(sorted name:value of non-excluded parameters)', () => {
    // Values taken from a real run of the suite and the history.json Allure generated from it.
    const key = allureHistoryKey({
      testCaseId: '03be148148d61a07d6a85cc307040a1e',
      fullName: 'freeclimb-conference-harness:features/callback-ordering.feature#a participant removed through REST without a leaveConferenceUrl is disconnected',
      parameters: [{ name: 'mode', value: 'mock' }],
    });
    assert.equal(key, 'ea1f197d8e0becd8705dec76fae6f454.e97e81c38002161c0db984cb10d9b53c');
    assert.equal(allureHistoryKey({ testCaseId: 'x', parameters: [{ name: 'b', value: '2' }, { name: 'a', value: '1' }, { name: 'c', value: '3', excluded: true }] }), allureHistoryKey({ testCaseId: 'x', parameters: [{ name: 'a', value: '1' }, { name: 'b', value: '2' }] }));
  });
});
