import Database from 'better-sqlite3';
import { loadConfig } from '../src/config/index.js';
import { analyzeQuery, buildSynonyms } from '../src/search/analyze.js';
import { toSearchMatch } from '../src/store/sqlite/query.js';
const dir = process.argv[2]!;
const config = loadConfig({ ...process.env, DATA_DIR: dir });
const syn = buildSynonyms(config.taxonomy);
const db = new Database(config.databaseFile, { readonly: true });
const time = (label: string, f: () => unknown) => { const ts=[]; let r; for (let i=0;i<5;i++){const t=performance.now(); r=f(); ts.push(performance.now()-t);} console.log('  ', label.padEnd(40), ts.sort((a,b)=>a-b)[2]!.toFixed(2), 'ms', JSON.stringify(r).slice(0,60)); };
for (const q of ['smart spesialisering', 'digitalisering', 'befolkning distriktene']) {
  const a = analyzeQuery(q, syn);
  const m = toSearchMatch(a)!;
  console.log(q, m.length, 'chars;', m.slice(0, 300));
  time('count match', () => db.prepare('SELECT count(*) FROM articles_search WHERE articles_search MATCH ?').pluck().get(m));
  time('bm25 all', () => db.prepare('SELECT count(*) FROM (SELECT bm25(articles_search, 8.0, 5.0, 1.5, 1.0) FROM articles_search WHERE articles_search MATCH ?)').pluck().get(m));
  const fold = a.words.map(w => `"${w.folded}"`).join(' AND ');
  time('folded only, no prefix', () => db.prepare('SELECT count(*) FROM articles_search WHERE articles_search MATCH ?').pluck().get(fold));
  time('join lang facet', () => db.prepare('SELECT a.language, count(*) FROM articles_search s JOIN articles a ON a.rowid = s.rowid WHERE articles_search MATCH ? GROUP BY 1').all(m));
}
