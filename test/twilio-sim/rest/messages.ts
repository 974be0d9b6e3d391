import { RestError, missingParameter, notFound } from './errors.js';
import { messageJson, page } from './serialize.js';
import type { Route } from './server.js';

/**
 * `Messages`: create (To, From or MessagingServiceSid, Body and/or MediaUrl, StatusCallback), fetch, list. A created
 * message is recorded and, with a StatusCallback, walked through the configured delivery states.
 */
export const messageRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /\/Messages\.json/,
    handle(env, req) {
      const p = req.params;
      if (!p.To) throw missingParameter('To', 21604);
      if (!p.From && !p.MessagingServiceSid) throw missingParameter('From', 21603);
      const mediaUrls = req.multi.MediaUrl ?? [];
      if (!p.Body && !mediaUrls.length && !p.ContentSid) throw new RestError(400, 21602, 'Message body is required.');
      if ((p.Body ?? '').length > 1600) throw new RestError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
      let statusCallback;
      if (p.StatusCallback) {
        try {
          statusCallback = { url: new URL(p.StatusCallback).toString(), method: 'POST' as const };
        } catch {
          throw new RestError(400, 21609, `Invalid StatusCallback: ${p.StatusCallback}`);
        }
      }
      const message = env.messages.add({
        from: p.From ?? p.MessagingServiceSid!,
        to: p.To,
        body: p.Body ?? '',
        mediaUrls,
        direction: 'outbound-api',
        ...(statusCallback && { statusCallback }),
      });
      const body = messageJson(env.options.accountSid, message);
      env.messages.deliver(message);
      return { status: 201, body };
    },
  },
  {
    method: 'GET',
    pattern: /\/Messages\.json/,
    handle(env, req) {
      const messages = [...env.messages.all]
        .filter((m) => (!req.query.has('To') || m.to === req.query.get('To')) && (!req.query.has('From') || m.from === req.query.get('From')))
        .reverse();
      return {
        status: 200,
        body: page(
          req.path,
          'messages',
          messages.map((m) => messageJson(env.options.accountSid, m)),
          req.query,
        ),
      };
    },
  },
  {
    method: 'GET',
    pattern: /\/Messages\/((?:SM|MM)[0-9a-fA-F]{32})\.json/,
    handle(env, req, m) {
      const message = env.messages.get(m[1]!);
      if (!message) throw notFound(req.path);
      return { status: 200, body: messageJson(env.options.accountSid, message) };
    },
  },
];
