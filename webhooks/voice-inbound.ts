import { Router } from 'express';
import { queueCaller, speechStyle } from '../src/connector/caller-queueing.js';
import { pickOption } from '../src/connector/ivr-answer.js';
import { ivrActionUrl, readIvrProgress, type IvrProgress } from '../src/connector/ivr-progress.js';
import type { IvrMenuRecord, PhoneNumberRecord } from '../src/core/model.js';
import { goodbyeTwiml } from '../twiml/goodbye.js';
import { ivrMenuTwiml } from '../twiml/ivr-menu.js';
import type { VoiceWebhookDeps } from './deps.js';
import { twimlWebhook, webhookParams } from './respond.js';

const NOT_IN_SERVICE = 'We are sorry, the number you have called is not in service. Goodbye.';
const NO_ANSWER = "Sorry, I didn't get that.";
const NO_MATCH = 'Sorry, that is not one of the choices.';

/**
 * `POST /voice` — an inbound call: the number called (`To`, else `Called`) selects its configuration; the caller
 * hears its IVR menu, or goes straight into line. `POST /voice/menu` — a menu's answer: the chosen option's
 * attributes are added to the caller's answers and its next menu asked, or the caller is queued; a missing or
 * unknown answer asks the menu again, up to its retries, after which the caller is queued with what they chose so far.
 */
export function voiceInboundRouter(deps: VoiceWebhookDeps): Router {
  const router = Router();
  const askMenu = (number: PhoneNumberRecord, menu: IvrMenuRecord, progress: IvrProgress, notice?: string): string =>
    ivrMenuTwiml({ menu, style: speechStyle(number, menu), actionUrl: ivrActionUrl(deps.publicUrl(), progress), notice });

  router.post(
    '/voice',
    twimlWebhook(async (req) => {
      const params = webhookParams(req);
      const called = params.To ?? params.Called;
      const number = called ? await deps.directory.numberInService(called) : null;
      if (!number) return goodbyeTwiml(speechStyle(null), NOT_IN_SERVICE);
      const menu = number.ivrMenuSid ? await deps.directory.ivrMenuBySid(number.ivrMenuSid) : null;
      if (menu) return askMenu(number, menu, { numberSid: number.sid, menuSid: menu.sid, attempt: 0, answers: {} });
      return queueCaller(deps, number, params, {});
    }),
  );

  router.post(
    '/voice/menu',
    twimlWebhook(async (req) => {
      const params = webhookParams(req);
      const progress = readIvrProgress(req.query);
      const number = progress ? await deps.directory.phoneNumberBySid(progress.numberSid) : null;
      if (!progress || !number) return goodbyeTwiml(speechStyle(null), NOT_IN_SERVICE);
      const menu = await deps.directory.ivrMenuBySid(progress.menuSid);
      // The menu was removed while the caller listened to it: they have chosen all they can.
      if (!menu) return queueCaller(deps, number, params, progress.answers);
      const option = pickOption(menu, params.Digits, params.SpeechResult);
      if (!option) {
        if (progress.attempt >= menu.retries) return queueCaller(deps, number, params, progress.answers);
        const notice = params.Digits || params.SpeechResult ? NO_MATCH : NO_ANSWER;
        return askMenu(number, menu, { ...progress, attempt: progress.attempt + 1 }, notice);
      }
      const answers = { ...progress.answers, ...option.attributes };
      const next = option.nextMenuSid ? await deps.directory.ivrMenuBySid(option.nextMenuSid) : null;
      if (next) return askMenu(number, next, { numberSid: number.sid, menuSid: next.sid, attempt: 0, answers });
      return queueCaller(deps, number, params, answers);
    }),
  );

  return router;
}
