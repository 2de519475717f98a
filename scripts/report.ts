// `npm run report`: the report pipeline of support/report/pipeline.ts (also `fch report`) for this
// repository's reports/; `npm run report -- DIR…` merges shards' results folders first.
import { runReport } from '../support/report/pipeline';

process.exitCode = runReport(process, 'npm run report', process.argv.slice(2));
