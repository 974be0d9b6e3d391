import { Router } from 'express';
import { speechStyle } from '../src/connector/caller-queueing.js';
import { mergeTaskAttributes } from '../src/connector/task-attributes.js';
import { goodbyeTwiml } from '../twiml/goodbye.js';
import type { VoiceWebhookDeps } from './deps.js';
import { queryParam, twimlWebhook, webhookParams } from './respond.js';

const THANKS = 'Thank you. We will call you back as soon as possible. Goodbye.';

/**
 * `POST /voice/voicemail` — the `<Record>` action of the voicemail fallback: the recording is added to the caller's
 * task (`voicemail_url`, `voicemail_duration`), which waits, marked `callback_requested`, for an agent to call back.
 */
export function voiceVoicemailRouter(deps: VoiceWebhookDeps): Router {
  const router = Router();
  router.post(
    '/voice/voicemail',
    twimlWebhook(async (req) => {
      const params = webhookParams(req);
      const ws = queryParam(req, 'ws') ?? '';
      const taskSid = queryParam(req, 'task') ?? '';
      const number = await deps.directory.phoneNumberBySid(queryParam(req, 'number') ?? '');
      if (params.RecordingUrl) {
        const duration = Number(params.RecordingDuration);
        await mergeTaskAttributes(deps.engine, ws, taskSid, {
          voicemail_url: params.RecordingUrl,
          ...(Number.isFinite(duration) ? { voicemail_duration: duration } : {}),
        });
      }
      return goodbyeTwiml(speechStyle(number), THANKS);
    }),
  );
  return router;
}
