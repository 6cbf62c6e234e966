import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { FetchState } from '../state/port.js';
import type { SourceCatalogue } from './catalogue.js';
import { parseSourceInput } from './catalogue.js';
import { exportOpml, importOpml } from './opml.js';
import type { Source } from './schema.js';

/** What changing the catalogue at runtime needs from the outside world. */
export interface SourceAdminPorts {
  catalogue: SourceCatalogue;
  state: Pick<FetchState, 'setOperatorPause'>;
  /** Queues a fetch of the source now, past backoff and Retry-After. */
  fetchNow(sourceId: string): Promise<void>;
  /** Brings the schedules in line with the catalogue (adds, re-times and removes job schedulers). */
  reschedule(sources: readonly Source[]): Promise<void>;
  /**
   * Why a source URL may not be added — its host is or resolves to a private address, or does not
   * resolve — or undefined when it may (`checkPublicUrl` in production).
   */
  checkUrl(url: string): Promise<string | undefined>;
}

export interface ImportSummary {
  created: string[];
  updated: string[];
  rejected: Array<{ outline: string; reason: string }>;
}

/**
 * The operator's actions on sources, shared by the admin API and the CLI: add, replace, remove,
 * pause, resume, fetch now, OPML in and out. Each change is persisted by the catalogue and then
 * rescheduled, so every worker sees it and it survives restarts.
 */
export function createSourceAdmin(ports: SourceAdminPorts) {
  const { catalogue } = ports;
  const existing = async (id: string) => {
    const source = await catalogue.get(id);
    if (!source) throw new NotFoundError(`no source with id "${id}"`, { sourceId: id });
    return source;
  };
  const reschedule = async () => ports.reschedule(await catalogue.list());
  const validated = (input: unknown) => {
    try {
      return parseSourceInput(input, 'request body');
    } catch (err) {
      const e = err as { path?: string; reason?: string };
      throw new ValidationError(e.path ? `body.${e.path}` : 'body', e.reason ?? (err as Error).message);
    }
  };
  const reachable = async (source: Source) => {
    const refused = await ports.checkUrl(source.url);
    if (refused) throw new ValidationError('body.url', refused);
    return source;
  };

  return {
    list: () => catalogue.list(),
    get: existing,
    async add(input: unknown): Promise<Source> {
      const source = await reachable(validated(input));
      if (await catalogue.get(source.id)) throw new ConflictError(`a source with id "${source.id}" exists; PUT /api/admin/sources/${source.id} changes it`);
      await catalogue.put(source);
      await reschedule();
      if (source.enabled && source.kind !== 'newsletter') await ports.fetchNow(source.id);
      return source;
    },
    async replace(id: string, input: unknown): Promise<Source> {
      await existing(id);
      const source = await reachable(validated({ ...(input as object), id }));
      await catalogue.put(source);
      await reschedule();
      return source;
    },
    async remove(id: string): Promise<void> {
      if (!(await catalogue.remove(id))) throw new NotFoundError(`no source with id "${id}"`, { sourceId: id });
      await reschedule();
    },
    async pause(id: string, reason: string): Promise<void> {
      await existing(id);
      await ports.state.setOperatorPause(id, reason);
    },
    /** True when a fetch was queued (a newsletter has none: its mail simply publishes again). */
    async resume(id: string): Promise<boolean> {
      const source = await existing(id);
      await ports.state.setOperatorPause(id, undefined);
      if (source.kind === 'newsletter') return false;
      await ports.fetchNow(id);
      return true;
    },
    async refresh(id: string): Promise<void> {
      const source = await existing(id);
      if (source.kind === 'newsletter') throw new ValidationError('id', `"${id}" is a newsletter: its issues arrive by e-mail, there is nothing to fetch`);
      await ports.fetchNow(id);
    },
    async exportOpml(): Promise<string> {
      return exportOpml(await catalogue.list());
    },
    /**
     * Adds the OPML's sources and replaces those with the same id; outlines that do not validate, or
     * whose URL is refused, are reported, not stored.
     */
    async importOpml(text: string, defaults: { country?: string } = {}): Promise<ImportSummary> {
      const parsed = importOpml(text, defaults);
      const summary: ImportSummary = { created: [], updated: [], rejected: parsed.rejected };
      const refusals = await Promise.all(parsed.sources.map((s) => ports.checkUrl(s.url)));
      const accepted = parsed.sources.filter((source, i) => {
        const reason = refusals[i];
        if (reason) summary.rejected.push({ outline: source.name, reason });
        return !reason;
      });
      for (const source of accepted) {
        (await catalogue.put(source)) === 'created' ? summary.created.push(source.id) : summary.updated.push(source.id);
      }
      if (accepted.length) await reschedule();
      return summary;
    },
  };
}

export type SourceAdmin = ReturnType<typeof createSourceAdmin>;
