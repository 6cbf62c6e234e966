import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RobotsCache } from '../../src/state/port.js';
import type { RobotsRecord } from '../../src/pipeline/fetch/robots.js';

export interface RobotsCacheContractOptions {
  name: string;
  /** A cache holding nothing yet. */
  create(): Promise<RobotsCache>;
  /** A reason to skip the whole suite, printed as the suite name. */
  skip?: string;
  additionalTests?: (get: () => RobotsCache) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** An origin no other test touches, shaped like real ones (scheme, host, port). */
const origin = () => `http://h-${randomBytes(4).toString('hex')}.test:8080`;

/** The behaviour every RobotsCache adapter must have: records that expire, and a per-origin lock. */
export function runRobotsCacheContract(opts: RobotsCacheContractOptions): void {
  describe.skipIf(!!opts.skip)(`RobotsCache contract: ${opts.name}${opts.skip ? ` (skipped: ${opts.skip})` : ''}`, () => {
    let cache: RobotsCache;
    beforeEach(async () => {
      cache = await opts.create();
    });

    // records

    it('answers undefined for an origin never stored', async () => {
      expect(await cache.get(origin())).toBeUndefined();
    });

    it.each<RobotsRecord>([
      { kind: 'rules', text: 'User-agent: *\nDisallow: /privat/\n# æøå', fetchedAt: '2026-07-04T10:00:00.000Z' },
      { kind: 'allow-all', fetchedAt: '2026-07-04T10:00:00.000Z' },
      { kind: 'disallow-all', reason: 'robots.txt answered 503', fetchedAt: '2026-07-04T10:00:00.000Z' },
    ])('gives a $kind record back whole', async (record) => {
      const o = origin();
      await cache.set(o, record, 60);
      expect(await cache.get(o)).toEqual(record);
    });

    it('keeps origins apart', async () => {
      const [a, b] = [origin(), origin()];
      await cache.set(a, { kind: 'allow-all', fetchedAt: 'x' }, 60);
      expect(await cache.get(b)).toBeUndefined();
      expect(await cache.get(a.replace('http:', 'https:'))).toBeUndefined();
    });

    it('forgets a record after its TTL; a later set replaces the record and its TTL', async () => {
      const [short, replaced] = [origin(), origin()];
      await cache.set(short, { kind: 'allow-all', fetchedAt: 'x' }, 1);
      await cache.set(replaced, { kind: 'disallow-all', reason: 'robots.txt answered 500', fetchedAt: 'x' }, 1);
      await cache.set(replaced, { kind: 'allow-all', fetchedAt: 'y' }, 60);
      expect(await cache.get(short)).toBeDefined();
      await sleep(1_200);
      expect(await cache.get(short)).toBeUndefined();
      expect(await cache.get(replaced)).toEqual({ kind: 'allow-all', fetchedAt: 'y' });
    });

    // the per-origin lock

    it('lets one holder take an origin lock at a time, per origin', async () => {
      const [a, b] = [origin(), origin()];
      const token = await cache.tryLock(a, 10_000);
      expect(token).toEqual(expect.any(String));
      expect(await cache.tryLock(a, 10_000)).toBeUndefined();
      expect(await cache.tryLock(b, 10_000)).toEqual(expect.any(String));
      // the lock is not a record
      expect(await cache.get(a)).toBeUndefined();
    });

    it('is unlocked by its own token only', async () => {
      const o = origin();
      const token = (await cache.tryLock(o, 10_000))!;
      await cache.unlock(o, 'not-the-token');
      expect(await cache.tryLock(o, 10_000)).toBeUndefined();
      await cache.unlock(o, token);
      expect(await cache.tryLock(o, 10_000)).toEqual(expect.any(String));
    });

    it('frees a lock whose holder died after its TTL; the late holder cannot unlock the next one', async () => {
      const o = origin();
      const dead = (await cache.tryLock(o, 150))!;
      expect(await cache.tryLock(o, 10_000)).toBeUndefined();
      await sleep(250);
      const next = await cache.tryLock(o, 10_000);
      expect(next).toEqual(expect.any(String));
      expect(next).not.toBe(dead);
      await cache.unlock(o, dead);
      expect(await cache.tryLock(o, 10_000)).toBeUndefined();
    });

    opts.additionalTests?.(() => cache);
  });
}
