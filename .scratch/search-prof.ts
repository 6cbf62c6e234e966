import { loadConfig } from '../src/config/index.js';
import { openStore } from '../src/store/index.js';
const dir = process.argv[2]!;
const config = loadConfig({ ...process.env, DATA_DIR: dir });
const store = await openStore(config);
for (const q of ['smart spesialisering', 'grön omställning', 'Tromso', 'innovasjon samarbeid', 'kestävä kasvu', 'regional partnership', 'digitalisering', 'befolkning distriktene']) {
  const times: number[] = [];
  let r;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    r = await store.search({ q, filter: {}, limit: 20, offset: 0 });
    times.push(performance.now() - t);
  }
  const t2 = performance.now();
  const l = await store.list({}, { limit: 20 });
  const lt = performance.now() - t2;
  console.log(q.padEnd(24), 'total', r!.total, 'median ms', times.sort((a, b) => a - b)[1]!.toFixed(1), 'list', lt.toFixed(1));
}
await store.close();
