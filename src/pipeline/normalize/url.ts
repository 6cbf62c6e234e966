/**
 * Query parameters that only track the click, never select content. Stripping them makes the same
 * article reached from a newsletter, a feed and a tweet one article.
 */
const TRACKING = /^(utm_\w+|fbclid|gclid|gclsrc|dclid|msclkid|yclid|igshid|mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok|oly_anon_id|oly_enc_id|vero_id|wt_mc|wt_zmc|at_medium|at_campaign|ncid|sr_share|cmpid|ml_subscriber|ml_subscriber_hash|_kx|ss_source|ss_campaign_id|ss_email_id)$/i;

/** A possibly relative URL resolved against `base`; undefined when it cannot be read as a URL. */
export function resolveUrl(link: string | undefined, base: string | undefined): string | undefined {
  if (!link) return undefined;
  try {
    return new URL(link.trim(), base).href;
  } catch {
    return undefined;
  }
}

/** Canonical form of an article URL: lower-case scheme and host, no default port, no fragment, no tracking parameters, remaining parameters sorted. */
export function canonicalUrl(input: string): string {
  const url = new URL(input.trim());
  url.hash = '';
  url.hostname = url.hostname.toLowerCase();
  if ((url.protocol === 'http:' && url.port === '80') || (url.protocol === 'https:' && url.port === '443')) url.port = '';
  const kept = [...url.searchParams].filter(([k]) => !TRACKING.test(k));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = new URLSearchParams(kept).toString();
  return url.href;
}

/** The URL with tracking parameters removed and nothing else changed (links inside stored content). */
export function withoutTracking(input: string): string {
  try {
    const url = new URL(input);
    const kept = [...url.searchParams].filter(([k]) => !TRACKING.test(k));
    if (kept.length === [...url.searchParams].length) return input;
    url.search = new URLSearchParams(kept).toString();
    return url.href;
  } catch {
    return input;
  }
}
