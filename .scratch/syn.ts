import { buildSynonyms } from '../src/search/analyze.js';
import { shippedConfig } from '../test/helpers/config.js';
import { indexSettings } from '../src/store/meili/settings.js';
const s = indexSettings(buildSynonyms(shippedConfig().taxonomy)).synonyms!;
console.log(Object.keys(s).length, Object.keys(s).filter(k=>k.startsWith('smart')));
