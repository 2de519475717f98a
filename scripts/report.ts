// `npm run report`: the report pipeline of support/report/pipeline.ts (also `fch report`) for this
// repository's reports/.
import { runReport } from '../support/report/pipeline';

process.exitCode = runReport(process);
