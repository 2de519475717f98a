// Shards: the gate's split of (reading, scenario) pairs, and the merge of the shards' JUnit files,
// results folders and gate runs into one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { junitXml } from '../support/report/junit';
import { junitCounts, mergeJunitSuites, parseJunit, writeJunit } from '../support/report/junit-merge';
import { mergeGateRuns } from '../support/report/merge-gate';
import { mergeResultsDirs } from '../support/report/merge-results';
import { resultsDirOf } from '../support/results-dir';
import { gateShard, liveAppAlias, liveRunPrefixStem, parseShard, shardArg, shardBlock } from '../support/shard';
import { tempDir } from './helpers/temp-dir';

test('a shard is INDEX/TOTAL with the index from 1; anything else says how it should look', () => {
  assert.deepEqual(parseShard('2/3'), { index: 2, total: 3 });
  for (const bad of ['0/3', '4/3', '2', 'a/b', '1/0', '']) assert.throws(() => parseShard(bad), /--shard/);
  assert.equal(shardArg(['--shard', '1/2', 'x']), '1/2');
  assert.equal(shardArg(['--shard=3/4']), '3/4');
  assert.equal(shardArg(['--parallel', '2']), undefined);
});

test('the blocks of all shards cover every pair exactly once, in order, balanced by count', () => {
  for (const [n, total] of [[360, 3], [315, 3], [10, 4], [2, 3], [0, 2], [7, 1]]) {
    const pairs = Array.from({ length: n }, (_, i) => i);
    const blocks = Array.from({ length: total }, (_, i) => shardBlock(pairs, { index: i + 1, total }));
    assert.deepEqual(blocks.flat(), pairs, `${n} over ${total}`);
    const sizes = blocks.map((b) => b.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `${n} over ${total}: ${sizes}`);
  }
});

test('21 readings × 15 scenarios over 3 shards: each reading runs only its block, few readings per shard', () => {
  const readings = ['default', ...Array.from({ length: 20 }, (_, i) => `axis${i}=x`)];
  const scenarios = Array.from({ length: 15 }, (_, i) => `features/f.feature:${i * 5 + 3}`);
  const parts = [1, 2, 3].map((index) => gateShard(readings, scenarios, { index, total: 3 }));
  const pairs = parts.flatMap((p) => p.flatMap((r) => r.scenarios.map((s) => `${r.reading}|${s}`)));
  assert.equal(pairs.length, 315);
  assert.equal(new Set(pairs).size, 315);
  assert.deepEqual(parts.map((p) => p.reduce((n, r) => n + r.scenarios.length, 0)), [105, 105, 105]);
  // 105 = 7 readings: shard 1 takes readings 0–6 whole; a reading cut by a block runs in two shards.
  assert.deepEqual(parts.map((p) => p.length), [7, 7, 7]);
  const cut = gateShard(readings, scenarios, { index: 1, total: 2 });
  assert.equal(cut.length, 11);
  assert.equal(cut[10].scenarios.length, 8); // 158 = 10 readings whole and 8 of the 11th
  assert.deepEqual(cut[10].scenarios, scenarios.slice(0, 8));
  assert.deepEqual(gateShard(['default'], scenarios, undefined), [{ reading: 'default', scenarios }]);
});

test('live shards name their own application and conference prefix', () => {
  assert.equal(liveAppAlias({ HARNESS_SHARD: '2/3' }), 'fch-harness-2');
  assert.equal(liveAppAlias({}), 'fch-harness');
  assert.equal(liveRunPrefixStem({ HARNESS_SHARD: '3/3' }), 'fch-s3-');
  assert.equal(liveRunPrefixStem({}), 'fch-');
});

const cucumberJunit = (cases: string[]) =>
  `<?xml version="1.0"?>\n<testsuite name="Cucumber" time="1" tests="${cases.length}" skipped="0" failures="0" errors="0">\n${cases.join('\n')}\n</testsuite>\n`;

test('JUnit: shards of npm test become one suite; a file read twice adds nothing; same-named cases of one file both stay', () => {
  const a = cucumberJunit([
    '<testcase classname="Terminate" name="ends calls" time="0.5"><system-out><![CDATA[Given x > y..passed]]></system-out></testcase>',
    '<testcase classname="Terminate" name="twice" time="0.1"/>',
    '<testcase classname="Terminate" name="twice" time="0.1"/>',
  ]);
  const b = cucumberJunit(['<testcase classname="Status &amp; more" name="a &quot;b&quot; &gt; c" time="0.2"><failure message="boom" type="Error"><![CDATA[boom]]></failure></testcase>', '<testcase classname="S" name="s" time="0"><skipped/></testcase>']);
  const { suites, duplicates } = mergeJunitSuites([parseJunit(a), parseJunit(b), parseJunit(a)]);
  assert.equal(duplicates, 3);
  assert.equal(suites.length, 1);
  assert.deepEqual(junitCounts(suites), { tests: 5, failures: 1, skipped: 1 });
  assert.equal(suites[0].cases[3].name, 'a "b" > c');
  const again = parseJunit(writeJunit(suites));
  assert.deepEqual(junitCounts(again), { tests: 5, failures: 1, skipped: 1 });
  assert.match(writeJunit(suites), /<testsuites name="merged shards" tests="5" failures="1" skipped="1"/);
});

test('JUnit: a reading split over two gate shards is one suite again, readings in first-seen order', () => {
  const c = (name: string, status: 'passed' | 'failed' = 'passed') => ({ name, classname: 'features/f.feature', timeMs: 10, status, failure: status === 'failed' ? 'expected <x>\nsecond line' : undefined });
  const s1 = junitXml([{ name: 'default', cases: [c('one'), c('two')] }, { name: 'axis=x', cases: [c('one')] }]);
  const s2 = junitXml([{ name: 'axis=x', cases: [c('two', 'failed')] }, { name: 'axis=y', cases: [c('one'), c('two')] }]);
  const { suites } = mergeJunitSuites([parseJunit(s1), parseJunit(s2)]);
  assert.deepEqual(suites.map((s) => [s.name, s.cases.length]), [['default', 2], ['axis=x', 2], ['axis=y', 2]]);
  assert.deepEqual(junitCounts(suites), { tests: 6, failures: 1, skipped: 0 });
  assert.match(writeJunit(suites), /<failure message="expected &lt;x&gt;">expected &lt;x&gt;\nsecond line<\/failure>/);
});

function resultsDir(root: string, name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'junit'), { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return dir;
}

test('results folders: every result once by uuid, the gate coverage left to the caller, JUnit and top-level XML kept out of Allure', () => {
  const root = tempDir('fch-merge');
  const result = (uuid: string, historyId = uuid) => JSON.stringify({ uuid, historyId, name: uuid, status: 'passed' });
  const a = resultsDir(root, 'a-results', {
    'u1-result.json': result('u1'),
    'u2-result.json': result('u2'),
    'c1-container.json': '{}',
    'x-attachment.txt': 'x',
    'cov1-result.json': result('cov1', 'app-gate-coverage'),
    'environment.properties': 'mode=mock\nvariants=default\n',
    'categories.json': JSON.stringify([{ name: 'Conformance failures' }]),
    'observations.jsonl': '{"a":1}\n{"a":1}\n',
    'junit/junit.xml': '<testsuite name="s"></testsuite>',
  });
  mkdirSync(join(a, 'app-gate'));
  writeFileSync(join(a, 'app-gate', 'runs.json'), '[]');
  writeFileSync(join(a, 'app-gate', 'coverage.json'), '{}');
  const b = resultsDir(root, 'b-results', {
    'u3-result.json': result('u3'),
    'u1-result.json': result('u1'),
    'cov2-result.json': result('cov2', 'app-gate-coverage'),
    'environment.properties': 'mode=live\nfault=none\n',
    'categories.json': JSON.stringify([{ name: 'Conformance failures' }, { name: 'Callback timeouts' }]),
    'observations.jsonl': '{"a":1}\n{"b":2}\n',
    'stray.xml': '<testsuite/>',
    'executor.json': '{}',
  });
  const into = join(root, 'merged-results');
  mkdirSync(into);
  const m = mergeResultsDirs([a, b, a], into);
  assert.equal(m.results, 3);
  assert.equal(m.duplicates, 1);
  assert.equal(m.gateCoverageResults, 2);
  assert.deepEqual(m.junitFiles, [join(a, 'junit', 'junit.xml')]);
  assert.deepEqual(m.gateRuns, [{ runs: join(a, 'app-gate', 'runs.json'), coverage: join(a, 'app-gate', 'coverage.json') }]);
  const files = readdirSync(into).sort();
  assert.deepEqual(files, ['c1-container.json', 'categories.json', 'environment.properties', 'observations.jsonl', 'u1-result.json', 'u2-result.json', 'u3-result.json', 'x-attachment.txt']);
  assert.equal(readFileSync(join(into, 'environment.properties'), 'utf8'), 'mode=mock\nvariants=default\nfault=none\n');
  assert.equal(JSON.parse(readFileSync(join(into, 'categories.json'), 'utf8')).length, 2);
  // The same line twice in one file is two observations; the second file's copy of one adds nothing.
  assert.equal(readFileSync(join(into, 'observations.jsonl'), 'utf8'), '{"a":1}\n{"a":1}\n{"b":2}\n');
});

test('results folders without the gate coverage files keep the first coverage result', () => {
  const root = tempDir('fch-merge');
  const a = resultsDir(root, 'a-results', { 'cov1-result.json': JSON.stringify({ uuid: 'cov1', historyId: 'app-gate-coverage' }) });
  const b = resultsDir(root, 'b-results', { 'cov2-result.json': JSON.stringify({ uuid: 'cov2', historyId: 'app-gate-coverage' }) });
  const into = join(root, 'merged-results');
  mkdirSync(into);
  const m = mergeResultsDirs([a, b], into);
  assert.deepEqual(readdirSync(into), ['cov1-result.json']);
  assert.equal(m.results, 1);
});

test('gate runs: a reading split over shards is one run again, in --all-variants order, each scenario once', () => {
  const scenario = (line: number, status: 'passed' | 'failed' = 'passed') => ({ id: `f.feature:${line}`, uri: 'f.feature', feature: 'F', name: `s${line}`, status, durationMs: 1 });
  const run = (label: string, lines: number[], extra: { crashes?: string[]; failed?: number } = {}) => ({
    label,
    exitCode: extra.failed ? 1 : 0,
    wallMs: 100,
    scenarios: lines.map((l) => scenario(l, l === extra.failed ? 'failed' : 'passed')),
    coverage: { received: { inboundCall: lines.length } },
    timing: [],
    crashes: extra.crashes ?? [],
  });
  const shard1 = [run('default', [1, 2, 3]), run('terminateEmpty=emptyThenTerminated', [1])];
  const shard2 = [run('terminateEmpty=emptyThenTerminated', [2, 3], { failed: 3, crashes: ['s3'] })];
  const merged = mergeGateRuns([shard2, shard1, shard1]);
  assert.deepEqual(merged.map((r) => r.label), ['default', 'terminateEmpty=emptyThenTerminated']);
  const split = merged[1];
  assert.deepEqual(split.scenarios.map((s) => s.id).sort(), ['f.feature:1', 'f.feature:2', 'f.feature:3']);
  assert.equal(split.exitCode, 1);
  assert.equal(split.wallMs, 200);
  assert.deepEqual(split.crashes, ['s3']);
  assert.deepEqual(split.coverage.received, { inboundCall: 3 });
  assert.equal(merged[0].scenarios.length, 3);
});

test('a shard without ALLURE_RESULTS_DIR writes beside the default folder; with it, where it says', () => {
  assert.equal(resultsDirOf({ HARNESS_SHARD: '2/3' }, '/p'), join('/p', 'reports', 'allure-results-shard-2of3'));
  assert.equal(resultsDirOf({ HARNESS_SHARD: '2/3', ALLURE_RESULTS_DIR: 'out/s2-results' }, '/p'), join('/p', 'out', 's2-results'));
  assert.equal(resultsDirOf({}, '/p'), join('/p', 'reports', 'allure-results'));
});

test('fch app test --shard out of range, and fch report with an unknown option: usage errors (exit 2)', () => {
  const fch = join(__dirname, '..', 'bin', 'fch.js');
  const gate = spawnSync(process.execPath, [fch, 'app', 'test', '--shard', '4/3'], { encoding: 'utf8', env: { ...process.env, HARNESS_APP_URL: 'http://127.0.0.1:3999', HARNESS_APP_JOIN_DIGITS: '1#' } });
  assert.equal(gate.status, 2);
  assert.match(gate.stderr, /--shard "4\/3": the shard index runs from 1 to TOTAL/);
  const report = spawnSync(process.execPath, [fch, 'report', '--merge'], { encoding: 'utf8' });
  assert.equal(report.status, 2);
  assert.match(report.stderr, /unknown option --merge\nusage: fch report \[RESULTS_DIR…\]/);
});
