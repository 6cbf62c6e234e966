/**
 * The outbox of the indexed store: ids of articles whose records changed and whose search-index
 * documents may not have followed yet. It lives beside the records (PostgreSQL, src/store/postgres/outbox.ts),
 * so an entry survives a crash or an engine that is down, and any process can replay it.
 */
export interface IndexOutbox {
  /** Queues ids (again): an id already queued gets a new `seq`, so a sync that saw the older entry leaves this one. */
  enqueue(ids: readonly string[]): Promise<void>;
  /**
   * Claims up to `limit` queued entries, oldest first (only those among `only`, when given), and locks their
   * ids until `release`: syncs of the same article, in any process, run one after another, so the index
   * never ends with an older read of an article written after a newer one.
   */
  take(limit: number, only?: readonly string[]): Promise<OutboxClaim>;
  /** How many ids are queued. */
  count(): Promise<number>;
  /** The outbox's clock (the database's), for `clear`. */
  now(): Promise<Date>;
  /**
   * Drops entries queued before `queuedBefore` (with an id after `afterId`, when given): after a rebuild of
   * the index that read every record written before that moment.
   */
  clear(opts: { queuedBefore: Date; afterId?: string }): Promise<number>;
  close(): Promise<void>;
}

export interface OutboxEntry {
  id: string;
  /** Which enqueue of the id this is: `done` removes the entry only if no later enqueue replaced it. */
  seq: string;
}

/** Entries taken by one sync, with their ids locked until `release`. */
export interface OutboxClaim {
  entries: OutboxEntry[];
  /** Removes the entries that have not been queued again since they were taken. */
  done(entries: readonly OutboxEntry[]): Promise<void>;
  /** Frees the ids' locks; always call it (the claim holds a database connection). */
  release(): Promise<void>;
}
