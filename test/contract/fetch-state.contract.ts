import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FetchState } from '../../src/state/port.js';

export interface FetchStateContractOptions {
  name: string;
  create(): Promise<{ state: FetchState; cleanup?: () => Promise<void> }>;
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 29, 12, minute)).toISOString();

/** The behaviour every FetchState adapter must have: the Redis one the workers share, and the test double. */
export function runFetchStateContract(opts: FetchStateContractOptions): void {
  describe(`FetchState contract: ${opts.name}`, () => {
    let state: FetchState;
    let cleanup: (() => Promise<void>) | undefined;
    beforeEach(async () => {
      ({ state, cleanup } = await opts.create());
    });
    afterEach(async () => {
      await cleanup?.();
    });

    it('has no validators and an empty health record for a source never fetched', async () => {
      expect(await state.getValidators('s1')).toBeUndefined();
      expect(await state.getHealth(['s1'])).toEqual(new Map([['s1', expect.objectContaining({ consecutiveFailures: 0 })]]));
      const h = (await state.getHealth(['s1'])).get('s1')!;
      expect([h.lastFetchAt, h.lastStatus, h.lastError, h.operatorPause]).toEqual([undefined, undefined, undefined, undefined]);
    });

    it('keeps validators with the articles their fetch queued, and replaces both on the next save', async () => {
      await state.setValidators('s1', { etag: '"a"', lastModified: 'Sun, 29 Nov 2026 10:00:00 GMT', fullFetchAt: at(0), pending: { id1: 'h1', id2: 'h2' } });
      expect(await state.getValidators('s1')).toEqual({ etag: '"a"', lastModified: 'Sun, 29 Nov 2026 10:00:00 GMT', fullFetchAt: at(0), pending: { id1: 'h1', id2: 'h2' } });
      // A server that stopped sending Last-Modified, and a fetch that queued nothing: neither lingers.
      await state.setValidators('s1', { etag: '"b"', fullFetchAt: at(5), pending: {} });
      expect(await state.getValidators('s1')).toEqual({ etag: '"b"', fullFetchAt: at(5) });
      expect(await state.getValidators('s2')).toBeUndefined();
    });

    it('counts failures in a row, remembers the last error and Retry-After, and forgets them on success', async () => {
      await state.recordFetch('s1', { at: at(1), status: 'error', error: 'HTTP 503', notBefore: at(30) });
      await state.recordFetch('s1', { at: at(2), status: 'gone', error: 'HTTP 410' });
      let h = (await state.getHealth(['s1'])).get('s1')!;
      expect(h).toMatchObject({ lastFetchAt: at(2), lastStatus: 'gone', lastError: 'HTTP 410', consecutiveFailures: 2, notBefore: at(30) });
      await state.recordFetch('s1', { at: at(3), status: 'ok', itemCount: 12 });
      h = (await state.getHealth(['s1'])).get('s1')!;
      expect(h).toMatchObject({ lastFetchAt: at(3), lastStatus: 'ok', consecutiveFailures: 0, lastItemCount: 12 });
      expect(h.lastError).toBeUndefined();
      expect(h.notBefore).toBeUndefined();
      await state.recordFetch('s1', { at: at(4), status: 'not-modified' });
      expect((await state.getHealth(['s1'])).get('s1')).toMatchObject({ lastStatus: 'not-modified', lastItemCount: 12, consecutiveFailures: 0 });
    });

    it('pauses with a reason; resuming forgets failures and Retry-After but keeps the fetch history', async () => {
      await state.recordFetch('s1', { at: at(1), status: 'error', error: 'HTTP 500', notBefore: at(40) });
      await state.setOperatorPause('s1', 'site rebuilt');
      expect((await state.getHealth(['s1'])).get('s1')).toMatchObject({ operatorPause: 'site rebuilt', consecutiveFailures: 1 });
      await state.setOperatorPause('s1', undefined);
      const h = (await state.getHealth(['s1'])).get('s1')!;
      expect(h).toMatchObject({ consecutiveFailures: 0, lastFetchAt: at(1), lastStatus: 'error', lastError: 'HTTP 500' });
      expect(h.operatorPause).toBeUndefined();
      expect(h.notBefore).toBeUndefined();
    });

    it('answers for many sources at once, each its own', async () => {
      await state.recordFetch('a', { at: at(1), status: 'ok', itemCount: 1 });
      await state.recordFetch('b', { at: at(2), status: 'error', error: 'x' });
      const all = await state.getHealth(['a', 'b', 'c']);
      expect([...all.keys()]).toEqual(['a', 'b', 'c']);
      expect(all.get('a')!.lastStatus).toBe('ok');
      expect(all.get('b')!.consecutiveFailures).toBe(1);
      expect(all.get('c')!.lastStatus).toBeUndefined();
    });
  });
}
