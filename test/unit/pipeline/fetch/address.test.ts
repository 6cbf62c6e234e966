import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkPublicUrl, privateAddressRule, type LookupAll } from '../../../../src/pipeline/fetch/address.js';

/** A DNS stand-in: names not listed do not resolve, as getaddrinfo says it. */
const records: Record<string, string[]> = {
  'news.example': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'mixed.example': ['93.184.216.34', '10.0.0.7'],
  'intranet.example': ['192.168.1.10'],
  'metadata.example': ['169.254.169.254'],
  'loopback6.example': ['::1'],
};
const asked: Array<{ host: string; all: boolean }> = [];
const lookup: LookupAll = async (host, options) => {
  asked.push({ host, all: options.all });
  const addresses = records[host];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: isIP(address) }));
};
const check = (url: string, allowPrivateHosts: string[] = []) => checkPublicUrl(url, { allowPrivateHosts, lookup });

describe('checkPublicUrl', () => {
  it.each([
    // private (RFC 1918)
    ['http://10.1.2.3/feed', '10.1.2.3'],
    ['http://172.16.0.1/feed', '172.16.0.1'],
    ['http://172.31.255.255/feed', '172.31.255.255'],
    ['http://192.168.0.1/feed', '192.168.0.1'],
    // loopback, also as the URL parser's other spellings of it
    ['http://127.0.0.1:8080/feed', '127.0.0.1'],
    ['http://127.8.9.10/feed', '127.8.9.10'],
    ['http://0x7f000001/feed', '127.0.0.1'],
    ['http://2130706433/feed', '127.0.0.1'],
    // link-local: the cloud metadata service
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    // carrier-grade NAT (RFC 6598), unspecified
    ['http://100.64.0.1/feed', '100.64.0.1'],
    ['http://0.0.0.0/feed', '0.0.0.0'],
    // IPv6: loopback, link-local, unique-local, unspecified, bracketed as URLs write them
    ['http://[::1]/feed', '::1'],
    ['http://[fe80::1]/feed', 'fe80::1'],
    ['http://[fc00::1]/feed', 'fc00::1'],
    ['http://[fd12:3456::1]/feed', 'fd12:3456::1'],
    ['http://[::]/feed', '::'],
    // IPv4-mapped IPv6 (the URL parser rewrites it to hex: [::ffff:7f00:1])
    ['http://[::ffff:127.0.0.1]/feed', '::ffff:7f00:1'],
    ['http://[::ffff:169.254.169.254]/feed', '::ffff:a9fe:a9fe'],
  ])('refuses the literal %s', async (url, address) => {
    const before = asked.length;
    expect(await check(url)).toBe(`host ${address} is a private, loopback or link-local address (ALLOW_PRIVATE_HOSTS can allow it)`);
    expect(asked.length).toBe(before); // literals never go to DNS
  });

  it.each([
    ['http://93.184.216.34/feed'],
    ['https://[2606:2800:220:1:248:1893:25c8:1946]/feed'],
    // just outside the blocked ranges
    ['http://172.32.0.1/feed'],
    ['http://100.128.0.1/feed'],
    ['http://11.0.0.1/feed'],
    ['http://[::ffff:93.184.216.34]/feed'],
  ])('accepts the public literal %s', async (url) => {
    expect(await check(url)).toBeUndefined();
  });

  it.each([
    ['https://news.example/rss', undefined],
    // one private record among public ones is enough to refuse
    ['https://mixed.example/rss', 'host mixed.example resolves to 10.0.0.7, a private, loopback or link-local address (ALLOW_PRIVATE_HOSTS can allow it)'],
    ['https://intranet.example/rss', 'host intranet.example resolves to 192.168.1.10, a private, loopback or link-local address (ALLOW_PRIVATE_HOSTS can allow it)'],
    ['https://metadata.example/latest/meta-data/', 'host metadata.example resolves to 169.254.169.254, a private, loopback or link-local address (ALLOW_PRIVATE_HOSTS can allow it)'],
    ['https://loopback6.example/', 'host loopback6.example resolves to ::1, a private, loopback or link-local address (ALLOW_PRIVATE_HOSTS can allow it)'],
    ['https://NEWS.example/rss', undefined],
    // a name that does not resolve
    ['https://nowhere.invalid/rss', 'host nowhere.invalid does not resolve (ENOTFOUND)'],
  ])('resolves %s and answers %s', async (url, reason) => {
    expect(await check(url)).toBe(reason);
  });

  it('asks DNS for every address of the name', async () => {
    await check('https://mixed.example/rss');
    expect(asked.at(-1)).toEqual({ host: 'mixed.example', all: true });
  });

  it('says a name does not resolve when DNS answers nothing or fails without a code', async () => {
    expect(await checkPublicUrl('https://empty.example/', { allowPrivateHosts: [], lookup: async () => [] })).toBe('host empty.example does not resolve');
    expect(
      await checkPublicUrl('https://broken.example/', {
        allowPrivateHosts: [],
        lookup: async () => {
          throw new Error('resolver gone');
        },
      }),
    ).toBe('host broken.example does not resolve');
  });

  it.each([
    // allow-listed by the address itself, as the tests and the demo do
    ['http://127.0.0.1:8080/feed', ['127.0.0.1'], undefined],
    ['http://[::1]/feed', ['::1'], undefined],
    // allow-listed by name: whatever it resolves to, in any case
    ['https://intranet.example/rss', ['intranet.example'], undefined],
    ['https://intranet.example/rss', ['INTRANET.Example'], undefined],
    // a listed address lets a name through only if all its private addresses are listed
    ['https://mixed.example/rss', ['10.0.0.7'], undefined],
    ['https://metadata.example/', ['127.0.0.1'], 'host metadata.example resolves to 169.254.169.254, a private, loopback or link-local address (ALLOW_PRIVATE_HOSTS can allow it)'],
    // listing one host allows no other
    ['http://10.1.2.3/feed', ['127.0.0.1', 'intranet.example'], 'host 10.1.2.3 is a private, loopback or link-local address (ALLOW_PRIVATE_HOSTS can allow it)'],
    // a name on the list still has to resolve
    ['https://gone.example/', ['gone.example'], 'host gone.example does not resolve (ENOTFOUND)'],
  ])('%s with ALLOW_PRIVATE_HOSTS=%j → %s', async (url, allow, reason) => {
    expect(await check(url, allow)).toBe(reason);
  });

  it('says what is wrong with something that is no URL', async () => {
    expect(await check('not a url')).toBe('"not a url" is not a URL');
  });
});

describe('privateAddressRule', () => {
  it('returns the first refused address, or nothing for an allow-listed host', () => {
    const refused = privateAddressRule(['intranet.example', '10.0.0.7']);
    expect(refused('a.example', ['93.184.216.34', '192.168.0.5', '10.0.0.8'])).toBe('192.168.0.5');
    expect(refused('a.example', ['93.184.216.34', '10.0.0.7'])).toBeUndefined();
    expect(refused('Intranet.Example', ['127.0.0.1'])).toBeUndefined();
  });
});
