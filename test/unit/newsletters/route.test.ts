import { describe, expect, it } from 'vitest';
import { routeMail, senderMatches } from '../../../src/newsletters/route.js';
import { sourceSchema, type Source } from '../../../src/sources/schema.js';

const newsletter = (id: string, n: Record<string, unknown>, over: Record<string, unknown> = {}): Source =>
  sourceSchema.parse({ id, name: id, kind: 'newsletter', url: 'https://example.org/subscribe', country: 'NO', newsletter: n, ...over });
const SOURCES = [
  newsletter('nordregio', { token: 'nordregio-7f3a', from: ['@nordregio.org'], listId: ['abc123.list-id.mcsv.net'] }),
  newsletter('open-list', { token: 'open' }),
  newsletter('folder', { mailbox: 'Newsletters/KS', from: ['nyhetsbrev@ks.no'] }),
  newsletter('by-sender', { from: ['news@tillvaxtverket.se'] }),
  newsletter('off', { token: 'off' }, { enabled: false }),
];
const mail = (address: string, listId?: string) => ({ from: { address }, ...(listId ? { listId } : {}) });
const smtp = (...recipients: string[]) => ({ via: 'smtp' as const, recipients });

describe('senderMatches', () => {
  it('matches an address exactly, and "@domain" for the domain and its subdomains only', () => {
    expect(senderMatches('news@ks.no', 'News@KS.no')).toBe(true);
    expect(senderMatches('@nordregio.org', 'a@mail.nordregio.org')).toBe(true);
    expect(senderMatches('@nordregio.org', 'a@notnordregio.org')).toBe(false);
  });
});

describe('routeMail', () => {
  it('takes mail sent to a source address from one of its senders, or carrying its List-Id', () => {
    expect(routeMail(mail('news@nordregio.org'), smtp('nordregio-7f3a@in.radar.example'), SOURCES, 'in.radar.example')).toMatchObject({ kind: 'source', source: { id: 'nordregio' } });
    expect(routeMail(mail('bounce@mcsv.net', 'abc123.list-id.mcsv.net'), smtp('nordregio-7f3a@in.radar.example'), SOURCES)).toMatchObject({ kind: 'source', source: { id: 'nordregio' } });
  });

  it('sends mail from a stranger to a source address to the inbox, with the reason', () => {
    const r = routeMail(mail('us4-confirm@mailchimp.com'), smtp('nordregio-7f3a@in.radar.example'), SOURCES, 'in.radar.example');
    expect(r).toEqual({ kind: 'inbox', reason: expect.stringContaining('us4-confirm@mailchimp.com is not among its senders') });
  });

  it('a source with no sender rules takes anything sent to its address; the domain must be ours', () => {
    expect(routeMail(mail('x@y.org'), smtp('open@in.radar.example'), SOURCES, 'in.radar.example')).toMatchObject({ kind: 'source', source: { id: 'open-list' } });
    expect(routeMail(mail('x@y.org'), smtp('open@elsewhere.example'), SOURCES, 'in.radar.example').kind).toBe('inbox');
  });

  it('ignores disabled sources and unknown addresses', () => {
    expect(routeMail(mail('x@y.org'), smtp('off@in.radar.example'), SOURCES).kind).toBe('inbox');
    expect(routeMail(mail('x@y.org'), smtp('nobody@in.radar.example'), SOURCES).kind).toBe('inbox');
  });

  it('IMAP: a source folder admits its senders; the main folder routes by sender alone', () => {
    expect(routeMail(mail('nyhetsbrev@ks.no'), { via: 'imap', mailbox: 'Newsletters/KS' }, SOURCES)).toMatchObject({ kind: 'source', source: { id: 'folder' } });
    expect(routeMail(mail('spam@ks.no'), { via: 'imap', mailbox: 'Newsletters/KS' }, SOURCES).kind).toBe('inbox');
    expect(routeMail(mail('news@tillvaxtverket.se'), { via: 'imap', mailbox: 'INBOX' }, SOURCES)).toMatchObject({ kind: 'source', source: { id: 'by-sender' } });
    expect(routeMail(mail('confirm@lists.example'), { via: 'imap', mailbox: 'INBOX' }, SOURCES)).toEqual({ kind: 'inbox', reason: 'no newsletter source lists the sender confirm@lists.example' });
  });
});

describe('the newsletter source schema', () => {
  it('needs a newsletter block, refuses listing selectors, and a newsletter block on a feed', () => {
    const base = { id: 'n', name: 'N', url: 'https://example.org/', country: 'NO' };
    expect(sourceSchema.safeParse({ ...base, kind: 'newsletter' }).error?.issues[0]).toMatchObject({ path: ['newsletter'] });
    expect(sourceSchema.safeParse({ ...base, kind: 'feed', newsletter: { token: 'abc' } }).error?.issues[0]).toMatchObject({ path: ['newsletter'] });
    expect(sourceSchema.safeParse({ ...base, kind: 'newsletter', newsletter: { from: ['not an address'] } }).error?.issues[0]).toMatchObject({ path: ['newsletter', 'from', 0] });
  });
});
