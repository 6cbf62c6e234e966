import { authenticate, type DNSResolver } from 'mailauth';
import type { MailAuth } from '../model/article.js';
import type { Arrival } from './inbox/port.js';

export type { DNSResolver };

/**
 * SPF, DKIM and DMARC verdicts for a message (mailauth). SPF needs the connecting client's address,
 * which only the SMTP listener knows; over IMAP it is taken from the message's own Received chain.
 * `resolver` replaces DNS (tests and offline installations answer from a zone of their own).
 */
export async function authenticateMail(raw: Buffer, arrival: Arrival, opts: { resolver?: DNSResolver; mta?: string } = {}): Promise<MailAuth & { dkimAligned: boolean }> {
  try {
    const result = await authenticate(raw, {
      ...(arrival.via === 'smtp' ? { ip: arrival.ip, helo: arrival.helo, sender: arrival.mailFrom } : { trustReceived: true }),
      ...(opts.mta ? { mta: opts.mta } : {}),
      ...(opts.resolver ? { resolver: opts.resolver } : {}),
      disableArc: true,
      disableBimi: true,
    });
    const dkim = result.dkim?.results ?? [];
    const passing = dkim.filter((r) => r.status?.result === 'pass');
    const fromDomain = (result.dmarc && typeof result.dmarc === 'object' ? result.dmarc.domain : undefined)?.toLowerCase();
    const aligned = passing.some((r) => {
      const d = (r.signingDomain ?? '').toLowerCase();
      return !!fromDomain && (d === fromDomain || fromDomain.endsWith(`.${d}`) || d.endsWith(`.${fromDomain}`));
    });
    return {
      spf: (result.spf && typeof result.spf === 'object' ? result.spf.status?.result : undefined) ?? 'none',
      dkim: passing.length ? 'pass' : (dkim[0]?.status?.result ?? 'none'),
      dmarc: (result.dmarc && typeof result.dmarc === 'object' ? result.dmarc.status?.result : undefined) ?? 'none',
      dkimAligned: aligned,
    };
  } catch {
    // mailauth throws only on input it cannot read at all; the parser says what is wrong with it.
    return { spf: 'temperror', dkim: 'temperror', dmarc: 'temperror', dkimAligned: false };
  }
}

/** A source that requires authentication publishes mail whose DMARC passed, or that a From-aligned DKIM signature vouches for. */
export const authPasses = (auth: MailAuth & { dkimAligned: boolean }): boolean => auth.dmarc === 'pass' || auth.dkimAligned;

/** A resolver that knows no names (the demo, offline installations): every verdict becomes none, at once. */
export const noDns: DNSResolver = async (domain) => {
  throw Object.assign(new Error(`queryTxt ENOTFOUND ${domain}`), { code: 'ENOTFOUND' });
};
