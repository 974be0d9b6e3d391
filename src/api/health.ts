import type { Express } from 'express';
import type { RoutingStore } from '../store/routing-store.js';

const READINESS_TIMEOUT_MS = 2_000;

/**
 * Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the store answers in time). Neither needs
 * credentials, so orchestrators can probe them. Mounted on the app as routes of their own rather than as a router:
 * every request enters a router mounted without a path, and probes are a tiny share of a server's requests
 * (docs/performance.md, "The REST path").
 */
export function mountHealth(app: Express, store: RoutingStore): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await withTimeout(store.nextTimerDue(), READINESS_TIMEOUT_MS);
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('store did not answer in time')), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
