// Reading every page of a list: follow nextPageUri (relative to /apiserver, appended to the base
// URL as both SDKs do, reference §1.5) until it is null, at most PAGE_CAP pages.
import type { z } from 'zod';
import { ApiError, type ApiResponse } from './errors';
import { checkResponse } from './validation';

/** Lists stop with an error (never silently truncated) when pages remain after this many. */
export const PAGE_CAP = 50;

export type ListSchema<K extends string, T> = z.ZodType<{ nextPageUri: string | null } & Record<K, T[]>>;

export async function readAllPages<K extends string, T>(
  apiBaseUrl: string,
  firstUrl: string,
  get: (url: string) => Promise<ApiResponse>,
  schema: ListSchema<K, T>,
  name: string,
  key: K,
): Promise<T[]> {
  let url = firstUrl;
  const visited = new Set([url]);
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const response = await get(url);
    if (response.status !== 200) throw new ApiError('GET', response, [200]);
    const list = checkResponse('GET', response.url, schema, name, response.json);
    items.push(...list[key]);
    if (!list.nextPageUri) return items;
    if (page >= PAGE_CAP) throw new Error(`GET ${firstUrl}: nextPageUri is still set after ${PAGE_CAP} pages (the page cap); last: ${list.nextPageUri}`);
    url = pageUrl(apiBaseUrl, list.nextPageUri, firstUrl);
    if (visited.has(url)) throw new Error(`GET ${firstUrl}: nextPageUri ${list.nextPageUri} points at a page already read (a loop)`);
    visited.add(url);
  }
}

function pageUrl(apiBaseUrl: string, nextPageUri: string, firstUrl: string): string {
  if (nextPageUri.startsWith('/')) return `${apiBaseUrl}${nextPageUri}`;
  // Not the documented form; follow it only on the API's own origin, since it gets our credentials.
  if (/^https?:\/\//.test(nextPageUri) && new URL(nextPageUri).origin === new URL(apiBaseUrl).origin) return nextPageUri;
  throw new Error(`GET ${firstUrl}: nextPageUri "${nextPageUri}" is neither relative to /apiserver nor on the API's origin`);
}
