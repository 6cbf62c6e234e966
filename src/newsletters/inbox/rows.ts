import { StoreError } from '../../errors.js';
import type { InboxMessage } from './port.js';

/** An inbox message's row as both adapters (SQLite, PostgreSQL) store it, and back. */
export interface Row {
  id: string;
  received_at: string;
  status: string;
  source_id: string | null;
  meta_json: string;
  raw: Buffer;
}

const STATUSES = ['new', 'assigned', 'dismissed'] as const;

/** The message without its bytes; a status no version wrote is the store's fault and fails loudly. */
export function toMessage(r: Omit<Row, 'raw'>): InboxMessage {
  if (!(STATUSES as readonly string[]).includes(r.status)) throw new StoreError(`inbox message ${r.id} is stored invalid`, { retryable: false });
  const meta = JSON.parse(r.meta_json) as Omit<InboxMessage, 'id' | 'receivedAt' | 'status' | 'sourceId'>;
  return { ...meta, id: r.id, receivedAt: r.received_at, status: r.status as InboxMessage['status'], ...(r.source_id ? { sourceId: r.source_id } : {}) };
}
