import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboxEntry, InboxMessage, InboxStore } from '../../src/newsletters/inbox/port.js';

export interface InboxStoreContractOptions {
  name: string;
  create(): Promise<InboxStore>;
  /** A reason to skip the whole suite, printed as the suite name. */
  skip?: string;
  additionalTests?: (get: () => InboxStore) => void;
}

const T0 = '2026-11-30T07:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const MAIL = 'From: Nyhetsbrev <news@example.no>\r\nTo: inbox@radar.example.org\r\nSubject: Bekreft abonnementet\r\nMessage-ID: <1@example.no>\r\n\r\nKlikk her.\r\n';
/** The least an entry has: no optional field at all. */
const entry = (over: Partial<InboxEntry> = {}): InboxEntry => {
  const raw = over.raw ?? Buffer.from(MAIL);
  return {
    id: 'msg-a',
    messageId: '<1@example.no>',
    receivedAt: T0,
    arrival: { via: 'smtp' },
    from: 'news@example.no',
    subject: 'Bekreft abonnementet',
    reason: 'no newsletter source lists the sender news@example.no',
    status: 'new',
    size: raw.length,
    raw,
    ...over,
  };
};
/** Every optional field set, as a message from the SMTP listener carries them. */
const full = (over: Partial<InboxEntry> = {}): InboxEntry =>
  entry({
    fromName: 'Regionalt nyhetsbrev – «Nord» 🌲',
    date: '2026-11-30T06:58:12.000Z',
    listId: '<nyhetsbrev.example.no>',
    mailAuth: { spf: 'pass', dkim: 'fail', dmarc: 'none' },
    arrival: { via: 'smtp', recipients: ['inbox@radar.example.org', 'Other@Radar.example.org'], ip: '2001:db8::25', helo: 'mx.example.no', mailFrom: 'bounce+x=y@example.no' },
    ...over,
  });
/** What list gives for an entry: the message without its bytes. */
const withoutRaw = ({ raw: _, ...message }: InboxEntry): InboxMessage => message;
/** Every byte value, invalid UTF-8 (a lone 0xff, a cut-off sequence) and NULs: bytes, not text. */
const BINARY = Buffer.concat([Buffer.from(MAIL), Buffer.from([0x00, 0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0x00]), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);

/**
 * The behaviour every InboxStore adapter must have: one entry per id, the bytes kept exactly, a
 * listing newest first without them, and the operator's assign, dismiss and prune.
 */
export function runInboxStoreContract(opts: InboxStoreContractOptions): void {
  describe.skipIf(!!opts.skip)(`InboxStore contract: ${opts.name}${opts.skip ? ` (skipped: ${opts.skip})` : ''}`, () => {
    let store: InboxStore;
    beforeEach(async () => {
      store = await opts.create();
    });
    afterEach(async () => {
      await store.close();
    });

    // --- keeping a message

    it('keeps an entry and gets it back whole, every optional field as it was put', async () => {
      const smtp = full();
      const imap = full({ id: 'msg-b', messageId: '<2@example.no>', arrival: { via: 'imap', mailbox: 'INBOX/Nyhetsbrev', mailFrom: 'bounce@example.no' } });
      expect(await store.put(smtp)).toBe(true);
      expect(await store.put(imap)).toBe(true);
      // toStrictEqual: an absent optional must be absent, not a key holding undefined
      expect(await store.get(smtp.id)).toStrictEqual(smtp);
      expect(await store.get(imap.id)).toStrictEqual(imap);
    });

    it('omits the optional fields an entry does not have, even when put as undefined', async () => {
      const bare = entry();
      expect(await store.put({ ...bare, fromName: undefined, date: undefined, listId: undefined, mailAuth: undefined, sourceId: undefined })).toBe(true);
      const got = await store.get(bare.id);
      expect(got).toStrictEqual(bare);
      expect(Object.keys(got!).sort()).toEqual(['arrival', 'from', 'id', 'messageId', 'raw', 'reason', 'receivedAt', 'size', 'status', 'subject']);
      expect(Object.keys(got!.arrival)).toEqual(['via']);
    });

    it('keeps the raw bytes byte for byte, non-UTF-8 included', async () => {
      // a view into a larger buffer: only the viewed bytes are the message
      const view = Buffer.concat([Buffer.from('NOT PART'), BINARY, Buffer.from('NOR THIS')]).subarray(8, 8 + BINARY.length);
      const large = Buffer.alloc(3 * 1024 * 1024, BINARY);
      await store.put(entry({ raw: view }));
      await store.put(entry({ id: 'msg-large', raw: large }));
      await store.put(entry({ id: 'msg-empty', raw: Buffer.alloc(0) }));
      const got = (await store.get('msg-a'))!.raw;
      expect(Buffer.isBuffer(got)).toBe(true);
      expect(got.equals(BINARY)).toBe(true);
      expect(got.length).toBe(BINARY.length);
      expect(got.includes(0xff)).toBe(true);
      expect((await store.get('msg-large'))!.raw.equals(large)).toBe(true);
      expect((await store.get('msg-empty'))!.raw).toStrictEqual(Buffer.alloc(0));
    });

    it('keeps its own copy of the bytes: changing the buffer put, or the one got, changes nothing stored', async () => {
      const raw = Buffer.from(MAIL);
      await store.put(entry({ raw }));
      raw.fill(0x21);
      const got = (await store.get('msg-a'))!.raw;
      expect(got.toString()).toBe(MAIL);
      got.fill(0x21);
      expect((await store.get('msg-a'))!.raw.toString()).toBe(MAIL);
    });

    it('gets nothing for an unknown id', async () => {
      expect(await store.get('msg-unknown')).toBeUndefined();
      await store.put(entry());
      expect(await store.get('msg-unknown')).toBeUndefined();
      expect(await store.get('MSG-A')).toBeUndefined();
    });

    it('is idempotent per id: a second put says false and changes nothing, whatever its other fields', async () => {
      const first = full();
      expect(await store.put(first)).toBe(true);
      expect(await store.put(first)).toBe(false);
      const other = entry({ messageId: '<other@example.no>', receivedAt: at(60), subject: 'Another subject', reason: 'another reason', status: 'dismissed', sourceId: 'other-source', raw: BINARY, size: BINARY.length });
      expect(await store.put(other)).toBe(false);
      expect(await store.get(first.id)).toStrictEqual(first);
      expect(await store.list()).toStrictEqual([withoutRaw(first)]);
    });

    it('the same message delivered again after it was assigned stays assigned', async () => {
      await store.put(full());
      await store.markAssigned('msg-a', 'nyhetsbrev-nord');
      expect(await store.put(full({ receivedAt: at(5) }))).toBe(false);
      expect(await store.get('msg-a')).toStrictEqual({ ...full(), status: 'assigned', sourceId: 'nyhetsbrev-nord' });
    });

    it('concurrent puts of one id: exactly one says true', async () => {
      const results = await Promise.all(['<1>', '<2>', '<3>', '<4>'].map((messageId) => store.put(entry({ messageId }))));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.list()).toHaveLength(1);
    });

    it('keeps an entry put as assigned with its source', async () => {
      const assigned = full({ status: 'assigned', sourceId: 'nyhetsbrev-nord' });
      await store.put(assigned);
      expect(await store.get(assigned.id)).toStrictEqual(assigned);
    });

    // --- the operator's listing

    it('lists newest first by receivedAt, ties by id, without the bytes', async () => {
      const entries = [
        full({ id: 'msg-b', receivedAt: at(10) }),
        entry({ id: 'msg-old', receivedAt: at(-60) }),
        entry({ id: 'msg-new', receivedAt: at(60), arrival: { via: 'imap', mailbox: 'INBOX' } }),
        entry({ id: 'msg-c', receivedAt: at(10) }),
        entry({ id: 'msg-a', receivedAt: at(10) }),
      ];
      for (const e of entries) await store.put(e);
      const listed = await store.list();
      expect(listed.map((m) => m.id)).toEqual(['msg-new', 'msg-a', 'msg-b', 'msg-c', 'msg-old']);
      for (const item of listed) expect('raw' in item).toBe(false);
      // each item is the whole message but the bytes, optional fields as put
      expect(listed[2]).toStrictEqual(withoutRaw(entries[0]!));
      expect(listed[0]).toStrictEqual(withoutRaw(entries[2]!));
    });

    it('lists nothing when the inbox is empty', async () => {
      expect(await store.list()).toEqual([]);
      expect(await store.list({ status: 'new', limit: 10 })).toEqual([]);
    });

    it('filters by status, newest first, and shows each entry as it now is', async () => {
      for (let i = 0; i < 6; i++) await store.put(entry({ id: `msg-${i}`, receivedAt: at(i) }));
      await store.markAssigned('msg-1', 'nyhetsbrev-nord');
      await store.markAssigned('msg-4', 'nyhetsbrev-sor');
      await store.dismiss('msg-2');
      expect((await store.list({ status: 'new' })).map((m) => m.id)).toEqual(['msg-5', 'msg-3', 'msg-0']);
      const assigned = await store.list({ status: 'assigned' });
      expect(assigned.map((m) => m.id)).toEqual(['msg-4', 'msg-1']);
      expect(assigned[1]).toStrictEqual({ ...withoutRaw(entry({ id: 'msg-1', receivedAt: at(1) })), status: 'assigned', sourceId: 'nyhetsbrev-nord' });
      expect(await store.list({ status: 'dismissed' })).toStrictEqual([{ ...withoutRaw(entry({ id: 'msg-2', receivedAt: at(2) })), status: 'dismissed' }]);
      expect((await store.list()).map((m) => m.id)).toEqual(['msg-5', 'msg-4', 'msg-3', 'msg-2', 'msg-1', 'msg-0']);
    });

    it('gives at most `limit` entries, the newest, with or without a status', async () => {
      for (let i = 0; i < 5; i++) await store.put(entry({ id: `msg-${i}`, receivedAt: at(i) }));
      await store.dismiss('msg-3');
      expect((await store.list({ limit: 2 })).map((m) => m.id)).toEqual(['msg-4', 'msg-3']);
      expect((await store.list({ status: 'new', limit: 2 })).map((m) => m.id)).toEqual(['msg-4', 'msg-2']);
      expect((await store.list({ limit: 5 })).map((m) => m.id)).toEqual(['msg-4', 'msg-3', 'msg-2', 'msg-1', 'msg-0']);
      expect(await store.list({ limit: 50 })).toHaveLength(5);
    });

    // The port does not state these bounds; they are the SQLite adapter's, and the admin API lists with the default.
    it('clamps the limit: below 1 gives one entry, none gives 100, above 1000 gives 1000', async () => {
      for (let i = 0; i < 1001; i++) await store.put(entry({ id: `msg-${String(i).padStart(4, '0')}`, receivedAt: at(i), raw: Buffer.from(`m${i}`), size: 2 }));
      expect((await store.list({ limit: 0 })).map((m) => m.id)).toEqual(['msg-1000']);
      expect((await store.list({ limit: -5 })).map((m) => m.id)).toEqual(['msg-1000']);
      const defaulted = await store.list();
      expect(defaulted).toHaveLength(100);
      expect(defaulted[99]!.id).toBe('msg-0901');
      const capped = await store.list({ limit: 5000 });
      expect(capped).toHaveLength(1000);
      expect(capped[999]!.id).toBe('msg-0001');
    });

    // --- assigning and dismissing

    it('marks a message assigned to a source, changing nothing else', async () => {
      const e = full();
      await store.put(e);
      expect(await store.markAssigned(e.id, 'nyhetsbrev-nord')).toBe(true);
      expect(await store.get(e.id)).toStrictEqual({ ...e, status: 'assigned', sourceId: 'nyhetsbrev-nord' });
      // assigning again (the operator picked another source) records the latest
      expect(await store.markAssigned(e.id, 'nyhetsbrev-sor')).toBe(true);
      expect(await store.get(e.id)).toStrictEqual({ ...e, status: 'assigned', sourceId: 'nyhetsbrev-sor' });
    });

    it('marking or dismissing an unknown message says false and creates nothing', async () => {
      expect(await store.markAssigned('msg-unknown', 'nyhetsbrev-nord')).toBe(false);
      expect(await store.dismiss('msg-unknown')).toBe(false);
      await store.put(entry());
      expect(await store.markAssigned('msg-unknown', 'nyhetsbrev-nord')).toBe(false);
      expect(await store.dismiss('msg-unknown')).toBe(false);
      expect(await store.get('msg-unknown')).toBeUndefined();
      expect((await store.list()).map((m) => m.id)).toEqual(['msg-a']);
      expect((await store.get('msg-a'))!.status).toBe('new');
    });

    it('dismisses a message, changing nothing else', async () => {
      const e = full();
      await store.put(e);
      expect(await store.dismiss(e.id)).toBe(true);
      expect(await store.get(e.id)).toStrictEqual({ ...e, status: 'dismissed' });
      expect(await store.dismiss(e.id)).toBe(true);
      expect(await store.get(e.id)).toStrictEqual({ ...e, status: 'dismissed' });
    });

    it('a dismissed message can still be assigned; an assigned one dismissed keeps the source it was assigned to', async () => {
      await store.put(entry({ id: 'msg-a' }));
      await store.put(entry({ id: 'msg-b' }));
      await store.dismiss('msg-a');
      expect(await store.markAssigned('msg-a', 'nyhetsbrev-nord')).toBe(true);
      expect(await store.get('msg-a')).toStrictEqual({ ...entry({ id: 'msg-a' }), status: 'assigned', sourceId: 'nyhetsbrev-nord' });
      await store.markAssigned('msg-b', 'nyhetsbrev-sor');
      expect(await store.dismiss('msg-b')).toBe(true);
      // sourceId is "the source it was assigned to, once it was": dismissing does not undo that
      expect(await store.get('msg-b')).toStrictEqual({ ...entry({ id: 'msg-b' }), status: 'dismissed', sourceId: 'nyhetsbrev-sor' });
    });

    // --- pruning

    it('prunes messages received before the cutoff that are no longer new, and says how many', async () => {
      const puts: Array<[string, number, 'new' | 'assign' | 'dismiss']> = [
        ['old-new', -120, 'new'],
        ['old-assigned', -120, 'assign'],
        ['old-dismissed', -90, 'dismiss'],
        ['edge-dismissed', 0, 'dismiss'],
        ['late-assigned', 30, 'assign'],
        ['late-dismissed', 60, 'dismiss'],
        ['late-new', 60, 'new'],
      ];
      for (const [id, minutes, then] of puts) {
        await store.put(entry({ id, receivedAt: at(minutes) }));
        if (then === 'assign') await store.markAssigned(id, 'nyhetsbrev-nord');
        if (then === 'dismiss') await store.dismiss(id);
      }
      // strictly before: a message received at the cutoff stays
      expect(await store.prune(T0)).toBe(2);
      expect(await store.get('old-assigned')).toBeUndefined();
      expect(await store.get('old-dismissed')).toBeUndefined();
      // a new message is never pruned, however old
      expect(await store.get('old-new')).toStrictEqual(entry({ id: 'old-new', receivedAt: at(-120) }));
      expect((await store.list()).map((m) => m.id)).toEqual(['late-dismissed', 'late-new', 'late-assigned', 'edge-dismissed', 'old-new']);
      expect(await store.prune(T0)).toBe(0);
      expect(await store.prune(at(61))).toBe(3);
      expect((await store.list()).map((m) => m.id)).toEqual(['late-new', 'old-new']);
      // a pruned id is free again
      expect(await store.put(entry({ id: 'old-assigned', receivedAt: at(120) }))).toBe(true);
    });

    it('prunes nothing from an empty inbox or before the oldest message', async () => {
      expect(await store.prune(at(1000))).toBe(0);
      await store.put(entry());
      await store.dismiss('msg-a');
      expect(await store.prune(at(-1))).toBe(0);
      expect(await store.get('msg-a')).toBeDefined();
    });

    opts.additionalTests?.(() => store);
  });
}
