import { createHash } from 'node:crypto';
import type { Config } from '../../src/config/index.js';
import { enrichArticle } from '../../src/jobs/enrich.js';
import type { Article, ArticleDraft } from '../../src/model/article.js';
import { createNordicDetector } from '../../src/pipeline/language/cld2.js';
import { createRegionTagger } from '../../src/pipeline/regions/index.js';
import { createThemeTagger } from '../../src/pipeline/themes/index.js';
import { readSeeds } from './seeds.js';

const idOf = (url: string) => createHash('sha256').update(url).digest('base64url').slice(0, 22);

/**
 * The five real seed articles as the pipeline stores them: language, themes and regions from the
 * shipped config's detector and taggers, carried by `sourceId`. Keyed by seed number.
 */
export function seedArticles(config: Config, opts: { sourceId?: string; host?: string } = {}): Map<string, Article> {
  const deps = {
    detectLanguage: createNordicDetector(config.languageProfiles),
    tagThemes: createThemeTagger(config.taxonomy),
    tagRegions: createRegionTagger(config.gazetteer),
    tagVersion: config.tagVersion,
  };
  const out = new Map<string, Article>();
  for (const [n, text] of readSeeds()) {
    const [title = '', ...rest] = text.trim().split('\n');
    const body = rest.join('\n').trim();
    const url = `https://${opts.host ?? 'www.regjeringen.no'}/seeds/${n}`;
    const draft: ArticleDraft = {
      id: idOf(url),
      sourceId: opts.sourceId ?? 'regjeringen-kdd',
      url,
      title: title.trim(),
      summary: body.split('\n').find((l) => l.trim())?.trim() ?? '',
      contentHtml: `<p>${body}</p>`,
      contentText: body,
      publishedAt: new Date(Date.UTC(2026, 10, 1 + Number(n))).toISOString(),
      fetchedAt: new Date().toISOString(),
      contentHash: createHash('sha256').update(text).digest('hex').slice(0, 16),
      country: 'NO',
      fromPublisher: true,
    };
    out.set(n, enrichArticle(draft, deps));
  }
  return out;
}
