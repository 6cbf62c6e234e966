import { describe, expect, it } from 'vitest';
import { backoffMs, decideFetch, MAX_BACKOFF_MS, PAUSE_AFTER_FAILURES, pauseReason } from '../../../src/sources/health.js';
import type { SourceHealth } from '../../../src/model/source.js';
import { makeSource } from '../../helpers/factories.js';

const hour = 3_600_000;
const source = makeSource({ schedule: { every: hour, jitter: 0 } });
const now = Date.parse('2026-11-22T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();
const health = (h: Partial<SourceHealth>): SourceHealth => ({ consecutiveFailures: 0, ...h });

describe('backoffMs', () => {
  it.each([
    [0, 0],
    [1, hour],
    [2, 2 * hour],
    [4, 8 * hour],
    [20, MAX_BACKOFF_MS],
  ])('%i failures → %i ms', (failures, ms) => {
    expect(backoffMs(hour, failures)).toBe(ms);
  });

  it('adds up to a quarter as jitter', () => {
    expect(backoffMs(hour, 2, 1)).toBe(2.5 * hour);
    expect(backoffMs(hour, 2, 0.5)).toBe(2.25 * hour);
  });
});

describe('decideFetch', () => {
  it('fetches a healthy or never-fetched source', () => {
    expect(decideFetch(source, undefined, now)).toEqual({ fetch: true });
    expect(decideFetch(source, health({ lastFetchAt: ago(hour), lastStatus: 'ok' }), now)).toEqual({ fetch: true });
  });

  it('backs off exponentially after failures, and an explicit run skips the backoff', () => {
    const failing = health({ consecutiveFailures: 3, lastFetchAt: ago(2 * hour), lastStatus: 'error' });
    expect(decideFetch(source, failing, now)).toMatchObject({ fetch: false, reason: 'backing off after 3 failed fetches' });
    expect(decideFetch(source, { ...failing, lastFetchAt: ago(5 * hour) }, now)).toEqual({ fetch: true });
    expect(decideFetch(source, failing, now, true)).toEqual({ fetch: true });
  });

  it('waits for a Retry-After however the run was asked for, except an explicit one', () => {
    const told = health({ consecutiveFailures: 1, lastFetchAt: ago(2 * hour), notBefore: new Date(now + 60_000).toISOString() });
    expect(decideFetch(source, told, now)).toMatchObject({ fetch: false, reason: 'the server asked us to wait (Retry-After)' });
    expect(decideFetch(source, told, now + 61_000)).toEqual({ fetch: true });
  });

  it('holds an operator pause even against an explicit run', () => {
    expect(decideFetch(source, health({ operatorPause: 'site rebuilt' }), now, true)).toEqual({ fetch: false, reason: 'paused by the operator: site rebuilt' });
  });
});

describe('pauseReason', () => {
  it('names the failures and the last error once there are enough in a row', () => {
    expect(pauseReason(health({ consecutiveFailures: PAUSE_AFTER_FAILURES - 1, lastError: 'HTTP 503' }))).toBeUndefined();
    expect(pauseReason(health({ consecutiveFailures: PAUSE_AFTER_FAILURES, lastError: 'HTTP 503' }))).toBe('paused after 5 failed fetches in a row; last error: HTTP 503');
  });
});
