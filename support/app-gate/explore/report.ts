// What `fch app explore` leaves behind, as the gate does: the console's list of findings and of the
// invariants that held, findings.json (schemas/explore.ts), JUnit (one test case per invariant)
// and Allure results with the shrunk sequence's conversation diagram, the failing exchange in red.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Conversation } from '../../schemas/conversation';
import type { FindingsFile } from '../../schemas/explore';
import { junitXml } from '../../report/junit';
import { renderSequenceDiagram } from '../../report/sequence-diagram';
import { INVARIANTS } from './invariants';

export function consoleSummary(file: FindingsFile): string {
  const lines: string[] = [];
  const real = file.findings.filter((f) => f.gate?.reproduced !== false);
  const dropped = file.findings.filter((f) => f.gate?.reproduced === false);
  lines.push(`${real.length} finding(s) in ${file.sequences} sequence(s), ${file.actions} action(s), ${(file.wallMs / 1000).toFixed(1)} s (seed ${file.seed}; readings: ${file.variants.join(', ')}${file.sampledFrom ? `, the ${file.variants.length - 1} after the default drawn from the seed out of ${file.sampledFrom}` : ''}${file.appStarts !== undefined ? `; ${file.appStarts} app start(s), ${file.rechecks ?? 0} sequence(s) checked again on a fresh app` : ''}):`);
  for (const f of real) {
    lines.push(`  ${f.level === 'fail' ? '✗' : '!'} ${f.code} (${f.level}) at ${f.where}: ${f.meaning}`);
    if (f.feature) lines.push(`      feature: ${f.feature}`);
    if (f.gate) lines.push(`      gate: ${f.gate.readings}`);
    lines.push(`      replay: --replay ${f.replay}; found after ${(f.foundAfterMs / 1000).toFixed(1)} s under ${f.variant}`);
    lines.push(...f.message.split('\n').slice(0, 3).map((l) => `      ${l}`));
  }
  if (dropped.length) {
    lines.push('seen by the explorer but not reproduced by the gate on a fresh app (no feature kept):');
    for (const f of dropped) lines.push(`  ? ${f.code} at ${f.where}: ${f.gate!.readings}`);
  }
  lines.push('invariants that held:');
  for (const h of file.held) lines.push(`  ✓ ${h.code} (${h.level})`);
  const off = INVARIANTS.filter((i) => !file.held.some((h) => h.code === i.code) && !file.findings.some((f) => f.code === i.code));
  if (off.length) lines.push(`not checked (--check …=off): ${off.map((i) => i.code).join(', ')}`);
  return lines.join('\n');
}

export function writeJunit(dir: string, file: FindingsFile): void {
  const cases = INVARIANTS.filter((i) => file.held.some((h) => h.code === i.code) || file.findings.some((f) => f.code === i.code)).map((i) => {
    const hits = file.findings.filter((f) => f.code === i.code && f.gate?.reproduced !== false && f.level === 'fail');
    return { name: `${i.code}: ${i.meaning}`, classname: 'fch app explore', timeMs: 0, status: hits.length ? ('failed' as const) : ('passed' as const), failure: hits.map((f) => `${f.where}: ${f.message}\n${f.feature ?? ''}`).join('\n\n') || undefined };
  });
  writeFileSync(join(dir, 'junit.xml'), junitXml([{ name: 'app explore', cases }]));
}

/** One Allure result per finding, the conversation of its shrunk sequence attached (JSON and diagram). */
export function writeAllure(dir: string, file: FindingsFile, conversations: ReadonlyMap<number, Conversation>, features: ReadonlyMap<number, string>): void {
  mkdirSync(dir, { recursive: true });
  const now = Date.now();
  file.findings.forEach((f, i) => {
    const attach = (name: string, type: string, ext: string, content: string) => {
      const source = `${randomUUID()}-attachment.${ext}`;
      writeFileSync(join(dir, source), content);
      return { name, source, type };
    };
    const conversation = conversations.get(i);
    const attachments = [
      ...(conversation ? [attach('conversation.json', 'application/json', 'json', JSON.stringify(conversation, null, 2)), attach('conversation.html', 'text/html', 'html', renderSequenceDiagram(conversation))] : []),
      ...(features.has(i) ? [attach(f.feature ?? 'finding.feature', 'text/plain', 'feature', features.get(i)!)] : []),
    ];
    const result = {
      uuid: randomUUID(),
      historyId: `app-explore-${f.code}-${f.where}`,
      name: `${f.code} at ${f.where}`,
      fullName: `fch app explore: ${f.code} at ${f.where}`,
      status: f.level === 'fail' && f.gate?.reproduced !== false ? 'failed' : 'passed',
      statusDetails: { message: f.message },
      stage: 'finished',
      start: now,
      stop: now,
      labels: [{ name: 'epic', value: 'App explore' }, { name: 'feature', value: f.code }, { name: 'severity', value: f.level === 'fail' ? 'critical' : 'minor' }],
      parameters: [{ name: 'variant', value: f.variant }, { name: 'replay', value: f.replay }],
      steps: [],
      attachments,
    };
    writeFileSync(join(dir, `${result.uuid}-result.json`), JSON.stringify(result));
  });
}
