// Escaping and scrubbing. Everything on the page comes from files other programs wrote (failure
// messages quote webhook bodies, PerCL, URLs), so every text goes through `esc`, and the finished
// page through `scrub`: an auditor may forward it, and it must not carry a credential even if a
// failure message quoted one.

export function esc(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const REDACTED = '‹redacted›';

/** Values of secret-looking environment variables, longest first; never printed, only removed. */
function secretValues(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => /KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL/i.test(name) && typeof value === 'string' && value.length >= 8)
    .map(([, value]) => value as string)
    .sort((a, b) => b.length - a.length);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Remove credentials from text: user:password in URLs, Basic/Bearer headers, key=value secrets, secret env values (raw or escaped). */
export function scrub(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text;
  for (const v of secretValues(env)) {
    for (const form of new Set([v, esc(v), encodeURIComponent(v), Buffer.from(v).toString('base64')])) out = out.replace(new RegExp(escapeRe(form), 'g'), REDACTED);
  }
  return out
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]+@/gi, `$1${REDACTED}@`)
    .replace(/\b(Basic|Bearer)\s+[A-Za-z0-9+/._~-]{8,}={0,2}/g, `$1 ${REDACTED}`)
    .replace(/\b((?:api[_-]?key|apikey|signing[_-]?secret|secret|token|password|authorization)(?:&quot;|["'])?\s*[:=]\s*(?:&quot;|["'])?)(?!‹)[^\s"'&<>,;)}]{4,}/gi, `$1${REDACTED}`);
}
