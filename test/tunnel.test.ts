// The public URL: HARNESS_PUBLIC_URL as given, or an ngrok tunnel the harness opens when only
// NGROK_AUTHTOKEN is set. @ngrok/ngrok is not installed here (it is not a dependency), so the real
// module path is the "not installed" error; a fake module stands in for the forward API.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { ConfigError, loadConfig } from '../support/config';
import { NGROK_NOT_INSTALLED, openTunnel, resolvePublicUrl, type TunnelConfig } from '../support/live/tunnel';

const TOKEN = '2xYzNgrokAuthtoken_0123456789abcdef';

const LIVE = {
  HARNESS_MODE: 'live',
  FREECLIMB_ACCOUNT_ID: 'AC170e4c66d358aa1755931da0452561933d1b8fd5',
  FREECLIMB_API_KEY: 'k3y-9f8e7d6c5b4a39281706f5e4d3c2b1a0',
  FREECLIMB_SIGNING_SECRET: 'sigsec_ead6d3b6904196c60835d039e91b3341c77a7793',
  FREECLIMB_NUMBER_A: '+13121000109',
  FREECLIMB_NUMBER_B: '+13121000096',
};

const ngrokInstalled = (() => {
  try {
    require.resolve('@ngrok/ngrok');
    return true;
  } catch {
    return false;
  }
})();

/** The error `promise` rejects with; fails the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error, `expected an Error, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

const everything = (error: Error) => `${error.message}\n${String(error.stack)}\n${JSON.stringify(error)}`;

interface ForwardCall {
  addr: number | string;
  authtoken?: string;
  domain?: string;
}

/** A stand-in for @ngrok/ngrok that records forward() and close(). */
function fakeNgrok(url = 'https://fake-tunnel.ngrok.app') {
  const calls: ForwardCall[] = [];
  let closed = 0;
  const module = {
    async forward(options: ForwardCall) {
      calls.push(options);
      return { url: () => url, close: async () => void closed++ };
    },
  };
  return { load: () => module, calls, closed: () => closed };
}

describe('resolvePublicUrl', () => {
  it('with HARNESS_PUBLIC_URL, returns it and HARNESS_PORT unchanged and opens no tunnel', async () => {
    const cfg = loadConfig({ ...LIVE, HARNESS_PUBLIC_URL: 'https://abc.example.com/', HARNESS_PORT: '4567', NGROK_AUTHTOKEN: TOKEN });
    const fake = fakeNgrok();
    const resolved = await resolvePublicUrl(cfg, { loadNgrok: fake.load });
    assert.equal(resolved.publicUrl, 'https://abc.example.com');
    assert.equal(resolved.port, 4567);
    assert.deepEqual(fake.calls, [], 'the user-supplied URL wins over the token');
    await resolved.close(); // a no-op
    assert.equal(fake.closed(), 0);
  });

  it('with neither HARNESS_PUBLIC_URL nor NGROK_AUTHTOKEN, throws a ConfigError naming both', async () => {
    const cfg: TunnelConfig = { mode: 'live', port: 0, publicUrl: undefined, ngrokAuthtoken: undefined, ngrokDomain: undefined };
    const error = await rejection(resolvePublicUrl(cfg));
    assert.ok(error instanceof ConfigError);
    assert.deepEqual(error.problems.map((p) => p.variable), ['HARNESS_PUBLIC_URL']);
    assert.match(error.message, /HARNESS_PUBLIC_URL: required in live mode unless NGROK_AUTHTOKEN is set; expected the public http\(s\) URL/);
  });

  it('with a token but @ngrok/ngrok not installed, says how to install it, without the token', { skip: ngrokInstalled && '@ngrok/ngrok is installed here' }, async () => {
    const cfg = loadConfig({ ...LIVE, NGROK_AUTHTOKEN: TOKEN, NGROK_DOMAIN: 'my-harness.ngrok.app' });
    const error = await rejection(resolvePublicUrl(cfg));
    assert.equal(error.message, NGROK_NOT_INSTALLED);
    assert.equal(
      error.message,
      'NGROK_AUTHTOKEN is set but @ngrok/ngrok is not installed: run `npm install --no-save @ngrok/ngrok`, or set HARNESS_PUBLIC_URL to a tunnel you run yourself',
    );
    assert.equal(everything(error).includes(TOKEN), false, 'the token leaked');
    // openTunnel directly: the same error.
    const direct = await rejection(openTunnel(4567, cfg));
    assert.equal(direct.message, NGROK_NOT_INSTALLED);
    assert.equal(everything(direct).includes(TOKEN), false, 'the token leaked');
  });

  it('a module that fails to load for another reason is reported as such, without the token', async () => {
    const cfg = loadConfig({ ...LIVE, NGROK_AUTHTOKEN: TOKEN });
    const error = await rejection(
      resolvePublicUrl(cfg, {
        loadNgrok: () => {
          throw Object.assign(new Error('Cannot find module "@ngrok/ngrok-linux-x64-gnu"'), { code: 'MODULE_NOT_FOUND' });
        },
      }),
    );
    assert.match(error.message, /@ngrok\/ngrok could not be loaded \(Cannot find module "@ngrok\/ngrok-linux-x64-gnu"\)/);
    assert.equal(everything(error).includes(TOKEN), false);
  });

  it('with a token and HARNESS_PORT 0, forwards a free concrete port with the token and domain, and closes', async () => {
    const cfg = loadConfig({ ...LIVE, NGROK_AUTHTOKEN: TOKEN, NGROK_DOMAIN: 'my-harness.ngrok.app' });
    assert.equal(cfg.port, 0);
    const fake = fakeNgrok('https://my-harness.ngrok.app/');
    const resolved = await resolvePublicUrl(cfg, { loadNgrok: fake.load });
    assert.equal(resolved.publicUrl, 'https://my-harness.ngrok.app');
    assert.ok(resolved.port > 0, `port ${resolved.port}`);
    assert.deepEqual(fake.calls, [{ addr: `127.0.0.1:${resolved.port}`, authtoken: TOKEN, domain: 'my-harness.ngrok.app' }]);
    // The port is free: the receiver can listen on it.
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(resolved.port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
    await resolved.close();
    await resolved.close();
    assert.equal(fake.closed(), 1, 'closed once');
  });

  it('with a token and a fixed HARNESS_PORT, forwards that port (no domain when NGROK_DOMAIN is unset)', async () => {
    const cfg = loadConfig({ ...LIVE, NGROK_AUTHTOKEN: TOKEN, HARNESS_PORT: '4567' });
    const fake = fakeNgrok();
    const resolved = await resolvePublicUrl(cfg, { loadNgrok: fake.load });
    assert.equal(resolved.port, 4567);
    assert.equal(resolved.publicUrl, 'https://fake-tunnel.ngrok.app');
    assert.deepEqual(fake.calls, [{ addr: '127.0.0.1:4567', authtoken: TOKEN }]);
    await resolved.close();
  });

  it('a failing forward() is reported without the token, even when ngrok echoes it', async () => {
    const cfg = loadConfig({ ...LIVE, NGROK_AUTHTOKEN: TOKEN, NGROK_DOMAIN: 'my-harness.ngrok.app' });
    const error = await rejection(
      resolvePublicUrl(cfg, {
        loadNgrok: () => ({
          forward: async () => {
            throw new Error(`authentication failed: The authtoken you specified (${TOKEN}) is invalid`);
          },
        }),
      }),
    );
    assert.match(error.message, /could not open the ngrok tunnel on NGROK_DOMAIN my-harness\.ngrok\.app \(authentication failed: .*\[redacted\].*\): check NGROK_AUTHTOKEN and NGROK_DOMAIN/);
    assert.equal(everything(error).includes(TOKEN), false, 'the token leaked');
  });
});
