// Calendar feed tokens stay on the feed. A feed token sits in a subscription URL — in the calendar
// provider's storage, proxy logs and browser history (routes/calendar.ts) — so whoever finds that URL must
// not be able to use the token on the rest of the API. The .ics route reads it (query or header); every
// route that authenticates through createApp's bearer check refuses it with 403.
import type { Principal, Store } from '../store/index.ts';
import { HttpError } from './http-error.ts';

/**
 * A calendar feed token is one whose label starts with one of these (`pia token create --label
 * calendar-feed`): the one list for what the feed accepts in a URL and what the API and pages refuse.
 */
export const FEED_TOKEN_LABEL_PREFIXES = ['calendar', 'カレンダー'];

export function isFeedTokenLabel(label: string): boolean {
  return FEED_TOKEN_LABEL_PREFIXES.some((x) => label.startsWith(x));
}

/**
 * token id → whether it is a feed token, per store. A token's label never changes after it is created,
 * so the answer can be kept; a revoked token no longer authenticates, so a stale entry is never read for
 * it. Bounded: past the bound the map is emptied and refilled (one token lookup per token again).
 */
const MAX_CACHED = 10_000;
const feedTokens = new WeakMap<Store, Map<string, boolean>>();

export async function isFeedTokenPrincipal(store: Store, p: Principal): Promise<boolean> {
  let cache = feedTokens.get(store);
  if (!cache) feedTokens.set(store, (cache = new Map()));
  const known = cache.get(p.tokenId);
  if (known !== undefined) return known;
  const info = (await store.listTokens({ userId: p.userId })).find((t) => t.id === p.tokenId);
  const feed = info !== undefined && isFeedTokenLabel(info.label);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(p.tokenId, feed);
  return feed;
}

/** 403 for a feed token used anywhere but the feed. */
export async function refuseFeedToken(store: Store, p: Principal): Promise<void> {
  if (await isFeedTokenPrincipal(store, p)) {
    throw new HttpError(
      403,
      'forbidden',
      'このトークンはカレンダー専用 (ラベルが calendar で始まるもの) のため、期限のフィード (calendar.ics) の購読にしか使えません。' +
        'API には別のトークンを使ってください。',
    );
  }
}
