import type { SimEnv } from '../core/env.js';
import type { ParticipantChanges, SimConference, SimParticipant } from '../voice/conferences.js';
import { invalidParameter, notFound } from './errors.js';
import { conferenceJson, page, participantJson } from './serialize.js';
import type { RestRequest, Route } from './server.js';

const CF = '(CF[0-9a-fA-F]{32})';
const CA = '(CA[0-9a-fA-F]{32})';
const STATUSES = ['init', 'in-progress', 'completed'];

function findConference(env: SimEnv, sid: string, path: string): SimConference {
  const room = env.conferences.get(sid);
  if (!room) throw notFound(path);
  return room;
}

function findParticipant(env: SimEnv, m: RegExpExecArray, path: string): { room: SimConference; participant: SimParticipant } {
  const room = findConference(env, m[1]!, path);
  const participant = room.participants.get(m[2]!);
  if (!participant) throw notFound(path);
  return { room, participant };
}

function bool(req: RestRequest, name: string): boolean | undefined {
  const raw = req.params[name];
  if (raw === undefined) return undefined;
  if (raw !== 'true' && raw !== 'false') throw invalidParameter(name, 'must be true or false');
  return raw === 'true';
}

function filterBool(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  return raw === null ? undefined : raw === 'true';
}

/** The update parameters of Twilio's Participant resource that the simulator plays; the rest are warned about. */
function changesOf(env: SimEnv, req: RestRequest, participant: SimParticipant): ParticipantChanges {
  const holdUrl = req.params.HoldUrl;
  if (holdUrl !== undefined && holdUrl !== '') {
    try {
      if (!/^https?:$/.test(new URL(holdUrl).protocol)) throw new Error('scheme');
    } catch {
      throw invalidParameter('HoldUrl', `not a valid URL: ${holdUrl}`);
    }
  }
  const method = req.params.HoldMethod?.toUpperCase();
  if (method !== undefined && method !== 'GET' && method !== 'POST') throw invalidParameter('HoldMethod', 'must be GET or POST');
  for (const name of ['AnnounceUrl', 'WaitUrl', 'Coaching', 'CallSidToCoach']) {
    if (req.params[name] !== undefined) env.record(participant.call.sid, { type: 'warning', message: `Participant ${name} is accepted but not simulated` });
  }
  return {
    hold: bool(req, 'Hold'),
    holdUrl,
    holdMethod: method,
    muted: bool(req, 'Muted'),
    endConferenceOnExit: bool(req, 'EndConferenceOnExit'),
    beepOnExit: bool(req, 'BeepOnExit'),
  };
}

/**
 * `Conferences` (list filtered by `FriendlyName` and `Status`, fetch) and `Conferences/{CF}/Participants` (list
 * filtered by `Hold` and `Muted`, fetch, update, delete). A held participant hears its `HoldUrl` (fetched with
 * `HoldMethod`, GET by default; Twilio's music without one); a deleted participant's call leaves the conference and
 * goes on with the TwiML after its `<Dial>` (its action, if any), or ends when nothing follows.
 */
export const conferenceRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /\/Conferences\.json/,
    handle(env, req) {
      const name = req.query.get('FriendlyName');
      const status = req.query.get('Status');
      if (status !== null && !STATUSES.includes(status)) throw invalidParameter('Status', `must be one of ${STATUSES.join(', ')}`);
      const rooms = env.conferences.all().filter((c) => (name === null || c.friendlyName === name) && (status === null || c.status === status));
      const records = rooms.reverse().map((c) => conferenceJson(env.options.accountSid, c));
      return { status: 200, body: page(req.path, 'conferences', records, req.query) };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`/Conferences/${CF}\\.json`),
    handle(env, req, m) {
      return { status: 200, body: conferenceJson(env.options.accountSid, findConference(env, m[1]!, req.path)) };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`/Conferences/${CF}/Participants\\.json`),
    handle(env, req, m) {
      const room = findConference(env, m[1]!, req.path);
      const hold = filterBool(req.query, 'Hold');
      const muted = filterBool(req.query, 'Muted');
      const records = [...room.participants.values()]
        .filter((p) => (hold === undefined || p.hold === hold) && (muted === undefined || p.options.muted === muted))
        .map((p) => participantJson(env.options.accountSid, room, p));
      return { status: 200, body: page(req.path, 'participants', records, req.query) };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`/Conferences/${CF}/Participants/${CA}\\.json`),
    handle(env, req, m) {
      const { room, participant } = findParticipant(env, m, req.path);
      return { status: 200, body: participantJson(env.options.accountSid, room, participant) };
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`/Conferences/${CF}/Participants/${CA}\\.json`),
    handle(env, req, m) {
      const { room, participant } = findParticipant(env, m, req.path);
      room.update(participant, changesOf(env, req, participant));
      return { status: 200, body: participantJson(env.options.accountSid, room, participant) };
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`/Conferences/${CF}/Participants/${CA}\\.json`),
    handle(env, req, m) {
      const { participant } = findParticipant(env, m, req.path);
      participant.removed.resolve();
      return { status: 204 };
    },
  },
];
