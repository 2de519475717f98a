// What the app told FreeClimb, read from its PerCL answers: what a caller hears, whether the app is
// collecting digits, which conferences it put a call into, and every URL it gave FreeClimb (each
// must be under the harness's public URL, or FreeClimb would call the app past the gate). Pure.

type Json = unknown;

function parse(answer: string | undefined): Json[] {
  if (!answer) return [];
  try {
    const doc: unknown = JSON.parse(answer);
    return Array.isArray(doc) ? doc : [];
  } catch {
    return [];
  }
}

/** Every value under `key` anywhere in the document (nested prompts included). */
function collect(doc: Json, visit: (key: string, value: Json) => void): void {
  if (Array.isArray(doc)) doc.forEach((d) => collect(d, visit));
  else if (typeof doc === 'object' && doc !== null) {
    for (const [k, v] of Object.entries(doc)) {
      visit(k, v);
      collect(v, visit);
    }
  }
}

/** The Say texts of an answer, prompts nested in GetDigits included. */
export function sayTexts(answer: string | undefined): string[] {
  const texts: string[] = [];
  collect(parse(answer), (k, v) => {
    if (k === 'Say' && typeof v === 'object' && v !== null && typeof (v as { text?: unknown }).text === 'string') texts.push((v as { text: string }).text);
  });
  return texts;
}

/** True when a top-level command of the answer collects digits. */
export function collectsDigits(answer: string | undefined): boolean {
  return parse(answer).some((c) => typeof c === 'object' && c !== null && 'GetDigits' in c);
}

/** Conference ids the answer names (AddToConference, RemoveFromConference, …). */
export function conferenceIds(answer: string | undefined): string[] {
  const ids: string[] = [];
  collect(parse(answer), (k, v) => {
    if (k === 'conferenceId' && typeof v === 'string') ids.push(v);
  });
  return ids;
}

/** Every URL the answer gives FreeClimb (fields named …Url), with its field. */
export function answerUrls(answer: string | undefined): { field: string; url: string }[] {
  const urls: { field: string; url: string }[] = [];
  collect(parse(answer), (k, v) => {
    if (/Url$/.test(k) && typeof v === 'string') urls.push({ field: k, url: v });
  });
  return urls;
}

/** URLs of the answer that FreeClimb would call past the harness: not under the public URL. */
export function foreignUrls(answer: string | undefined, publicUrl: string): { field: string; url: string }[] {
  const base = publicUrl.replace(/\/+$/, '');
  return answerUrls(answer).filter(({ url }) => /^https?:\/\//i.test(url) && url !== base && !url.startsWith(`${base}/`) && !url.startsWith(`${base}?`));
}
