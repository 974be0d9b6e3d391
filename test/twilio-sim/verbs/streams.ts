import { isInterrupt } from '../core/scope.js';
import type { TwimlNode } from '../twiml/parse.js';
import { MediaStreamClient, type StreamSpec } from '../media/stream-client.js';
import { methodOf, resolveUrl, type LoadedDoc } from '../voice/fetch.js';
import { NEXT, type VerbContext, type VerbHandler } from '../voice/program.js';

function streamSpec(node: TwimlNode, doc: LoadedDoc, bidirectional: boolean): StreamSpec {
  const a = node.attributes;
  const customParameters: Record<string, string> = {};
  for (const p of node.children) if (p.name === 'Parameter') customParameters[p.attributes.name!] = p.attributes.value ?? '';
  return {
    url: a.url!,
    name: a.name ?? null,
    track: (a.track as StreamSpec['track'] | undefined) ?? 'inbound_track',
    bidirectional,
    customParameters,
    ...(a.statusCallback && {
      statusCallback: { url: resolveUrl(doc, a.statusCallback), method: methodOf(a.statusCallbackMethod) },
    }),
  };
}

function skip({ env, call }: VerbContext, what: string): void {
  env.record(call.sid, { type: 'warning', message: `${what} is not simulated; skipped` });
}

/** `<Start><Stream>`: forks the call's audio to a WebSocket and carries on with the next verb at once. */
export const startVerb: VerbHandler = async (x) => {
  for (const noun of x.verb.children) {
    if (noun.name !== 'Stream') {
      skip(x, `<Start><${noun.name}>`);
      continue;
    }
    const stream = new MediaStreamClient(x.env, x.call, streamSpec(noun, x.doc, false));
    x.call.streams.push(stream);
    await x.scope.race(stream.start());
  }
  return NEXT;
};

/** `<Stop><Stream name>`: ends the named stream (sends `stop`, closes). */
export const stopVerb: VerbHandler = async (x) => {
  for (const noun of x.verb.children) {
    if (noun.name !== 'Stream') {
      skip(x, `<Stop><${noun.name}>`);
      continue;
    }
    const wanted = noun.attributes.name ?? noun.attributes.url;
    const stream = x.call.streams.find((s) => s.open && (s.spec.name === wanted || s.spec.url === wanted));
    if (stream) stream.stop();
    else x.env.record(x.call.sid, { type: 'warning', message: `<Stop><Stream>: no open stream named "${wanted}"` });
  }
  return NEXT;
};

/**
 * `<Connect><Stream>`: a bidirectional stream that holds the call until the server closes the socket; then the
 * `<Connect action>` is requested (its TwiML runs), or execution continues with the next verb.
 */
export const connectVerb: VerbHandler = async (x) => {
  const noun = x.verb.children[0]!;
  if (noun.name !== 'Stream') {
    skip(x, `<Connect><${noun.name}>`);
    return NEXT;
  }
  const stream = new MediaStreamClient(x.env, x.call, streamSpec(noun, x.doc, true));
  x.call.streams.push(stream);
  try {
    await x.scope.race(stream.start());
    await x.scope.race(stream.closed.promise);
  } catch (err) {
    if (isInterrupt(err)) stream.stop();
    throw err;
  }
  const action = x.verb.attributes.action;
  if (!action) return NEXT;
  return {
    kind: 'goto',
    target: { url: resolveUrl(x.doc, action), method: methodOf(x.verb.attributes.method), purpose: 'connect-action' },
  };
};
