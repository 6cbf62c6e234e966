import type { DNSResolver } from 'mailauth';

/**
 * A DNS zone of the test's own for mailauth's SPF, DKIM and DMARC lookups (the machine has no DNS
 * for the outside). Names not in the zone answer NXDOMAIN at once, as a real resolver would.
 */
export function zoneResolver(zone: Record<string, { TXT?: string[]; A?: string[]; MX?: Array<{ exchange: string; priority: number }> }>): DNSResolver {
  return async (domain: string, rrtype: string) => {
    const records = zone[domain.toLowerCase().replace(/\.$/, '')];
    const answer = records?.[rrtype as 'TXT' | 'A' | 'MX'];
    if (!answer?.length) throw Object.assign(new Error(`queryTxt ENOTFOUND ${domain}`), { code: records ? 'ENODATA' : 'ENOTFOUND' });
    if (rrtype === 'TXT') return (answer as string[]).map((txt) => [txt]);
    return answer as never;
  };
}
