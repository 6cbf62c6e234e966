import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { robotsAllows, type RobotsRecord } from '../../../../src/pipeline/fetch/robots.js';

/** regjeringen.no's real robots.txt (../shared/fixtures/real, fetched 2026-07-04). */
const regjeringen: RobotsRecord = {
  kind: 'rules',
  text: readFileSync(join(import.meta.dirname, '../../../../../shared/fixtures/real/regjeringen-robots-2026-07-04.txt'), 'utf8'),
  fetchedAt: '2026-07-04T00:00:00Z',
};

describe('robotsAllows', () => {
  it.each([
    ['https://www.regjeringen.no/no/rss/Rss/2581966/?owner=504', true],
    ['https://www.regjeringen.no/no/dokument/hoyringar/id1763/', true],
    ['https://www.regjeringen.no/no/dokument/hoyringar/id1763/?page=2', true],
    ['https://www.regjeringen.no/no/aktuelt/nyheter/id2006120/?ownerid=504', false],
    ['https://www.regjeringen.no/no/dokument/hoyringar/id1763/?documenttype=dokumenter/høringer', false],
  ])('regjeringen.no: %s → %s', (url, allowed) => {
    expect(robotsAllows(regjeringen, url, 'Regionradar')).toBe(allowed);
  });

  it('allows everything without a robots.txt and nothing while it cannot be read (RFC 9309)', () => {
    expect(robotsAllows({ kind: 'allow-all', fetchedAt: '' }, 'https://x.test/a', 'Regionradar')).toBe(true);
    expect(robotsAllows({ kind: 'disallow-all', fetchedAt: '' }, 'https://x.test/a', 'Regionradar')).toBe(false);
  });

  it('applies rules addressed to our product token', () => {
    const rec: RobotsRecord = { kind: 'rules', text: 'User-agent: Regionradar\nDisallow: /private/\n\nUser-agent: *\nDisallow: /', fetchedAt: '' };
    expect(robotsAllows(rec, 'https://x.test/news/', 'Regionradar')).toBe(true);
    expect(robotsAllows(rec, 'https://x.test/private/feed', 'Regionradar')).toBe(false);
    expect(robotsAllows(rec, 'https://x.test/news/', 'OtherBot')).toBe(false);
  });
});
