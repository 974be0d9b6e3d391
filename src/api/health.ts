import { Router } from 'express';
import type { RoutingStore } from '../store/routing-store.js';

const READINESS_TIMEOUT_MS = 2_000;

/**
 * Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the store answers in time). Neither needs
 * credentials, so orchestrators can probe them.
 */
export function healthRouter(store: RoutingStore): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await withTimeout(store.nextTimerDue(), READINESS_TIMEOUT_MS);
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  return router;
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
