import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Queue } from 'bullmq';
import type { Hono } from 'hono';

/** Where the queue dashboard is served; the admin password guards it (api/app.ts). */
export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * Bull Board over the queues: waiting, active, delayed, failed and completed jobs with their data and
 * errors, retry and clean. Its pages are a script application served from @bull-board/ui, so the app
 * gives this path a policy that lets its own scripts run (and nothing from elsewhere).
 */
export function queueBoard(queues: readonly Queue[]): Hono {
  const adapter = new HonoAdapter(serveStatic);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter, options: { uiConfig: { boardTitle: 'Regionradar queues' } } });
  adapter.setBasePath(QUEUE_BOARD_PATH);
  return adapter.registerPlugin() as unknown as Hono;
}
