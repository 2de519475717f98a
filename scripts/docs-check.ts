// The `docs` stage of `npm run check`: docs/configuration.md matches the configuration schema, and
// in README.md, docs/**/*.md and examples/*/README.md every relative link and anchor resolves and
// every command names an npm script, fch command and flag that exists. Each problem: file:line.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { CONFIG_PAGE, REGENERATE, compareConfigPage, renderConfigPage } from './lib/config-page';
import { checkCommands, commandTexts, fchCommands, type CommandContext } from './lib/doc-commands';
import { checkLinks, linksIn } from './lib/doc-links';
import type { StageResult } from './lib/stage';

const ROOT = join(__dirname, '..');

/** The pages the check reads, relative to the repository root. */
export function docPages(root = ROOT): string[] {
  const underDocs = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? underDocs(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []));
  const examples = existsSync(join(root, 'examples')) ? readdirSync(join(root, 'examples')).map((d) => join('examples', d, 'README.md')) : [];
  return ['README.md', ...(existsSync(join(root, 'docs')) ? underDocs('docs') : []), ...examples].filter((f) => existsSync(join(root, f))).sort();
}

/** The scripts a page's commands run against: those of the nearest package.json above it. */
export function contextFor(page: string, root = ROOT, fch = fchCommands()): CommandContext {
  for (let dir = dirname(join(root, page)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const own = dir === root;
      return { scripts: scriptsOf(file), packageJson: relative(root, file), rootScripts: own ? undefined : scriptsOf(join(root, 'package.json')), hasServerJs: existsSync(join(dir, 'server.js')), appLifecycle: own, fch };
    }
    if (dir === root || dir === dirname(dir)) return { scripts: {}, packageJson: 'no package.json', fch };
  }
}

const scriptsOf = (file: string): Record<string, string> => (JSON.parse(readFileSync(file, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};

export function configPageProblems(root = ROOT): string[] {
  const file = join(root, CONFIG_PAGE);
  if (!existsSync(file)) return [`${CONFIG_PAGE}: missing; run ${REGENERATE}`];
  return compareConfigPage(readFileSync(file, 'utf8'), renderConfigPage());
}

export async function docsStage(workDir: string): Promise<StageResult> {
  // check.ts starts its clock when this call returns its promise: the work must come after that.
  await new Promise((resolve) => setImmediate(resolve));
  const fch = fchCommands();
  const pages = docPages();
  const problems = [...configPageProblems()];
  let links = 0;
  let commands = 0;
  for (const page of pages) {
    const text = readFileSync(join(ROOT, page), 'utf8');
    links += linksIn(text).length;
    commands += commandTexts(text).length;
    problems.push(...checkLinks(page, text, ROOT), ...checkCommands(page, text, contextFor(page, ROOT, fch)));
  }
  writeFileSync(join(workDir, 'docs-check.txt'), `${problems.join('\n')}\n`);
  return {
    stage: 'docs',
    ok: problems.length === 0,
    detail: [`${pages.length} pages, ${links} links, ${commands} code lines and spans read for commands; ${CONFIG_PAGE} against the configuration schema`, ...problems],
  };
}

if (require.main === module) {
  docsStage(join(ROOT, 'reports')).then((r) => {
    console.log(r.detail.join('\n'));
    process.exit(r.ok ? 0 : 1);
  });
}
