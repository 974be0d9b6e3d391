import { Router } from 'express';
import { supervisorJoins } from '../src/connector/voice/supervisor.js';
import { queryParam, voiceWebhook } from './respond.js';

/** `POST /voice/supervisor` — a supervisor called by the `supervise` instruction answered (supervisor.ts). */
export function voiceSupervisorRouter(): Router {
  const router = Router();
  router.post(
    '/voice/supervisor',
    voiceWebhook((req) => supervisorJoins(queryParam(req, 'task'), queryParam(req, 'mode'))),
  );
  return router;
}
