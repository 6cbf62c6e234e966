import Database from 'better-sqlite3';
import { loadConfig } from '../src/config/index.js';
import { analyzeQuery, buildSynonyms } from '../src/search/analyze.js';
import { toSearchMatch } from '../src/store/sqlite/query.js';
const dir = process.argv[2]!;
const config = loadConfig({ ...process.env, DATA_DIR: dir });
const syn = buildSynonyms(config.taxonomy);
const db = new Database(config.databaseFile); db.pragma('temp_store = MEMORY');
db.exec('CREATE TEMP TABLE IF NOT EXISTS search_hits (rid INTEGER PRIMARY KEY, rank REAL NOT NULL, language TEXT, source_id TEXT, countries_json TEXT, themes_json TEXT)');
const time = (label: string, f: () => unknown) => { const ts=[]; for (let i=0;i<3;i++){const t=performance.now(); f(); ts.push(performance.now()-t);} console.log('  ', label.padEnd(30), ts.sort((a,b)=>a-b)[1]!.toFixed(2), 'ms'); };
for (const q of ['smart spesialisering', 'digitalisering']) {
  console.log(q);
  time('analyze', () => analyzeQuery(q, syn));
  const m = toSearchMatch(analyzeQuery(q, syn))!;
  time('fill', () => { db.exec('DELETE FROM temp.search_hits'); db.prepare('INSERT INTO temp.search_hits SELECT s.rowid, bm25(articles_search, 8.0, 5.0, 1.5, 1.0), f.language, f.source_id, f.countries_json, f.themes_json FROM articles_search s CROSS JOIN article_facets f ON f.rid = s.rowid WHERE articles_search MATCH ?').run(m); });
  time('lang facet', () => db.prepare('SELECT language k, count(*) FROM temp.search_hits GROUP BY k').all());
  time('theme facet', () => db.prepare('SELECT v.value k, count(*) FROM temp.search_hits h, json_each(h.themes_json) v GROUP BY k').all());
  time('page', () => db.prepare('SELECT a.* FROM (SELECT rid, rank FROM temp.search_hits ORDER BY rank, rid DESC LIMIT 20 OFFSET 0) h JOIN articles a ON a.rowid = h.rid ORDER BY h.rank, h.rid DESC').all());
}
