// What a command of `fch` reads and writes, injectable so that tests need not spawn a process.
// Down here, not in cli/, because the live tools (live/, app-gate/live/) take it too, and cli/ is
// the top layer: nothing below a command imports one.
export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  stdin: AsyncIterable<string | Buffer>;
  readFile(file: string): Promise<string>;
}
