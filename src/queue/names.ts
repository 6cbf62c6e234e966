/** Queue and job names. BullMQ keys are `<prefix>:<queue>:…`, so names never contain ':'. */
export const QUEUE = {
  ingest: 'ingest',
  enrich: 'enrich',
} as const;

export const JOB = {
  ingestSource: 'ingest-source',
  enrichArticle: 'enrich-article',
} as const;
