// Allure's file writer, minus one fsync per file. The stock writer flushes every result and
// attachment to disk before renaming it into place; a run writes about ten files per scenario, and
// on these machines those flushes were the largest single cost of a run (2.4 s of 15 s CPU in a
// sweep of six runs). Results are rebuilt by running again, so surviving a power cut is not worth
// that; the write-to-temp-then-rename stays, so `allure generate` never reads a half-written file.
// Cucumber's Allure formatter loads it by path (formatOptions.writer), hence the CommonJS export.
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The package's own .properties escaping. Its subpath exports have types only for node16+ module
// resolution, which this project does not use, hence the typed require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { stringifyEnvInfo } = require('allure-js-commons/sdk/reporter') as { stringifyEnvInfo: (info: Record<string, string | undefined>) => string };

type Json = Parameters<typeof JSON.stringify>[0];

class UnflushedWriter {
  constructor(private readonly config: { resultsDir: string }) {}

  writeAttachment(name: string, content: Buffer): void {
    this.publish(name, (tmp) => writeFileSync(tmp, content));
  }

  writeAttachmentFromPath(name: string, from: string): void {
    this.publish(name, (tmp) => copyFileSync(from, tmp));
  }

  writeEnvironmentInfo(info: Record<string, string | undefined>): void {
    this.publish('environment.properties', (tmp) => writeFileSync(tmp, stringifyEnvInfo(info), 'utf8'));
  }

  writeCategoriesDefinitions(categories: Json): void {
    this.json('categories.json', categories);
  }

  writeGroup(group: { uuid: string }): void {
    this.json(`${group.uuid}-container.json`, group);
  }

  writeResult(result: { uuid: string }): void {
    this.json(`${result.uuid}-result.json`, result);
  }

  writeGlobals(name: string, info: Json): void {
    this.json(name, info);
  }

  private json(name: string, value: Json): void {
    this.publish(name, (tmp) => writeFileSync(tmp, JSON.stringify(value), 'utf8'));
  }

  private publish(name: string, write: (tmp: string) => void): void {
    const path = join(this.config.resultsDir, name);
    mkdirSync(dirname(path), { recursive: true });
    const tmp = join(dirname(path), `.allure-write-${randomUUID()}.tmp`);
    try {
      write(tmp);
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
  }
}

export = UnflushedWriter;
