import { BlockList, isIP } from 'node:net';

/**
 * Addresses a fetch must not reach unless the operator allow-lists them: loopback, private,
 * link-local (cloud metadata lives at 169.254.169.254), carrier-grade NAT, unspecified and
 * unique-local IPv6. A feed URL or a redirect pointing there is how SSRF reaches internal services.
 */
const blocked = new BlockList();
blocked.addSubnet('0.0.0.0', 8);
blocked.addSubnet('10.0.0.0', 8);
blocked.addSubnet('100.64.0.0', 10);
blocked.addSubnet('127.0.0.0', 8);
blocked.addSubnet('169.254.0.0', 16);
blocked.addSubnet('172.16.0.0', 12);
blocked.addSubnet('192.168.0.0', 16);
blocked.addSubnet('::', 128, 'ipv6');
blocked.addSubnet('::1', 128, 'ipv6');
blocked.addSubnet('fc00::', 7, 'ipv6');
blocked.addSubnet('fe80::', 10, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    if (mapped) return blocked.check(mapped, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return blocked.check(address, 'ipv4');
}

/**
 * ALLOW_PRIVATE_HOSTS as a rule: a host listed by name may resolve anywhere; otherwise every private
 * address it has must itself be listed. Returns the first address refused, if any. An IP literal is
 * its own one address. The fetch client and source creation must agree, so both use this.
 */
export function privateAddressRule(allowPrivateHosts: readonly string[]) {
  const allowed = new Set(allowPrivateHosts.map((h) => h.toLowerCase()));
  return (host: string, addresses: readonly string[]): string | undefined =>
    allowed.has(host.toLowerCase()) ? undefined : addresses.find((a) => isPrivateAddress(a) && !allowed.has(a.toLowerCase()));
}

/** `dns.promises.lookup` with `{ all: true }`, injected so the check runs without DNS in tests. */
export type LookupAll = (hostname: string, options: { all: true }) => Promise<ReadonlyArray<{ address: string }>>;

/**
 * Why a URL may not become a source: its host is, or resolves to, an address a fetch would refuse
 * (every address, so one private record among public ones is enough), or it does not resolve.
 * Undefined when it may. Checked at creation so the operator hears at once, not at the first fetch;
 * the fetch client still checks at connect time, since DNS can change in between.
 *
 * @example
 *   await checkPublicUrl('http://169.254.169.254/latest/meta-data/', { allowPrivateHosts: [], lookup });
 *   // → 'host 169.254.169.254 is a private, loopback or link-local address (ALLOW_PRIVATE_HOSTS can allow it)'
 */
export async function checkPublicUrl(url: string, opts: { allowPrivateHosts: readonly string[]; lookup: LookupAll }): Promise<string | undefined> {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return `"${url}" is not a URL`;
  }
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await opts.lookup(host, { all: true })).map((a) => a.address);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      return `host ${host} does not resolve${typeof code === 'string' ? ` (${code})` : ''}`;
    }
    if (!addresses.length) return `host ${host} does not resolve`;
  }
  const refused = privateAddressRule(opts.allowPrivateHosts)(host, addresses);
  if (!refused) return undefined;
  const what = refused === host ? `host ${host} is` : `host ${host} resolves to ${refused},`;
  return `${what} a private, loopback or link-local address (ALLOW_PRIVATE_HOSTS can allow it)`;
}
