// `fch percl validate <file|->`: the same validator the receiver and the simulator use, so an app
// team can check a PerCL answer before it ever reaches a call.
// Exit codes: 0 valid (warnings allowed), 1 invalid PerCL, 2 unreadable input, not JSON, or bad usage.
import { formatProblems, validatePercl } from '../percl/validate';

import type { CliIo } from '../cli-io';

export type { CliIo };

export const PERCL_VALIDATE_USAGE = 'usage: fch percl validate <file|->   (- reads the script from stdin)';

export async function runPerclValidate(args: string[], io: CliIo): Promise<number> {
  if (args.length !== 1 || (args[0].startsWith('-') && args[0] !== '-')) {
    io.stderr.write(`${PERCL_VALIDATE_USAGE}\n`);
    return 2;
  }
  const source = args[0];
  const label = source === '-' ? '<stdin>' : source;

  let text: string;
  try {
    text = source === '-' ? await readAll(io.stdin) : await io.readFile(source);
  } catch (e) {
    io.stderr.write(`fch percl validate: cannot read ${label}: ${(e as Error).message}\n`);
    return 2;
  }

  // Editors on Windows like to prepend a BOM, which JSON.parse rejects.
  const body = text.replace(/^\uFEFF/, '');
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    io.stderr.write(`fch percl validate: ${label} is not JSON: ${describeJsonError(e as Error, body)}\n`);
    return 2;
  }

  const report = validatePercl(doc);
  const errors = report.problems.filter((p) => p.severity === 'error').length;
  const warnings = report.problems.length - errors;
  if (report.problems.length > 0) io.stdout.write(`${formatProblems(report.problems)}\n`);
  if (report.valid) {
    io.stdout.write(`valid: ${report.commands.length} commands, ${warnings} warnings\n`);
    return 0;
  }
  io.stdout.write(`invalid: ${errors} errors, ${warnings} warnings\n`);
  return 1;
}

async function readAll(stream: AsyncIterable<string | Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** V8 reports a character offset; people look for lines and columns, so add them. */
function describeJsonError(error: Error, text: string): string {
  const match = /at position (\d+)/.exec(error.message);
  const position = match ? Number(match[1]) : /end of JSON input/.test(error.message) ? text.length : undefined;
  if (position === undefined || /\(line \d+ column \d+\)/.test(error.message)) return error.message;
  const before = text.slice(0, position).split('\n');
  const where = `line ${before.length}, column ${before[before.length - 1].length + 1}`;
  return match ? `${error.message} (${where})` : `${error.message} at position ${position} (${where})`;
}
