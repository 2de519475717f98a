// An app under test written inside a test: an HTTP server on loopback that answers each webhook
// path with the PerCL its function returns for the webhook's JSON body (204 for a path it does not
// know). Shared by the tests that drive the gate or the explorer without an app process.
import http from 'node:http';

export type Answers = Record<string, (body: Record<string, unknown>) => unknown[] | undefined>;

export interface AnsweringApp {
  base: string;
  close(): Promise<void>;
}

/**
 * `whenNoAnswer` is what a known path answers when its function returns nothing: 204 (an app with
 * nothing to say) or 500 (a handler that threw, for a seeded bug).
 */
export async function answeringApp(answers: Answers, whenNoAnswer: 204 | 500 = 204): Promise<AnsweringApp> {
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const path = req.url ?? '';
      const known = Object.hasOwn(answers, path);
      const answer = known ? answers[path](JSON.parse(raw || '{}') as Record<string, unknown>) : undefined;
      if (answer !== undefined) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      else if (known && whenNoAnswer === 500) res.writeHead(500).end('TypeError: the handler threw');
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
