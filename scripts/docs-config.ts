// `npm run docs:config`: writes docs/configuration.md from the configuration schema
// (scripts/lib/config-page.ts). The `docs` stage of `npm run check` fails while the page is stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_PAGE, renderConfigPage } from './lib/config-page';

const ROOT = join(__dirname, '..');
writeFileSync(join(ROOT, CONFIG_PAGE), renderConfigPage());
console.log(`wrote ${CONFIG_PAGE}`);
