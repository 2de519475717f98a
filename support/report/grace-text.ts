// The quiet grace of an app-gate run in one line, for failure messages, the console summary and
// the conversation diagram (support/app-gate/quiet.ts measures it).
import type { GraceSummary } from '../schemas/conversation';

export function describeGrace(g: GraceSummary): string {
  const measured = g.longestGapMs === undefined ? 'no REST request followed an answer unforeseen' : `REST requests arrived up to ${g.longestGapMs} ms after an answer (${g.samples} seen)`;
  const probe = g.probed > 0 ? `the Node preload answers the quiet probe in ${g.probed} process(es)` : 'no quiet probe (not a Node app, or its preload did not connect)';
  return `quiet grace ${g.graceMs} ms (floor ${g.floorMs}, ceiling ${g.ceilingMs}; ${measured}; ${probe})`;
}
