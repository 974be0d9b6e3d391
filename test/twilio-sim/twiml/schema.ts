/**
 * What TwiML allows: per element, its attributes with their value types, the child elements it may contain, and
 * whether it carries text. Attribute names and value sets follow twilio-node's `VoiceResponse`/`MessagingResponse`
 * typings (the builders our server uses), so anything the builders can emit validates, and a typo'd attribute, a
 * verb nested where Twilio refuses it, or a value outside an enumeration is caught the way Twilio's parser would
 * catch it (error 12200).
 */

/** How an attribute value is checked. */
export type AttrType =
  | 'string'
  | 'url'
  | 'method'
  | 'boolean'
  | 'integer'
  | 'number'
  | { enum: readonly string[] }
  /** Space- or comma-separated list whose every item is in the set. */
  | { list: readonly string[] }
  /** An integer or one of the words. */
  | { integerOr: readonly string[] };

/** One element's contract. */
export interface ElementSpec {
  attributes: Readonly<Record<string, AttrType>>;
  /** Child element name → the spec that governs it there. */
  children: Readonly<Record<string, string>>;
  text: 'none' | 'optional' | 'required';
}

const CALL_EVENTS = { list: ['initiated', 'ringing', 'answered', 'completed'] } as const;
const STREAM_TRACK = { enum: ['inbound_track', 'outbound_track', 'both_tracks'] } as const;
const RECORDING_EVENTS = { list: ['in-progress', 'completed', 'absent'] } as const;
const TRIM = { enum: ['trim-silence', 'do-not-trim'] } as const;
const SSML = ['break', 'emphasis', 'lang', 'p', 'phoneme', 'prosody', 's', 'say-as', 'sub', 'w'] as const;
const ssmlChildren = Object.fromEntries(SSML.map((n) => [n, `ssml:${n}`]));
const prompts = { Say: 'Say', Play: 'Play', Pause: 'Pause' };
const parameter = { Parameter: 'Parameter' };

const el = (attributes: Record<string, AttrType>, children: Record<string, string> = {}, text: ElementSpec['text'] = 'none'): ElementSpec => ({
  attributes,
  children,
  text,
});

const streamAttributes: Record<string, AttrType> = {
  url: 'url',
  name: 'string',
  track: STREAM_TRACK,
  statusCallback: 'url',
  statusCallbackMethod: 'method',
  audioFormat: 'string',
  sampleRate: 'string',
  connectorName: 'string',
};

const amd: Record<string, AttrType> = {
  amdStatusCallback: 'url',
  amdStatusCallbackMethod: 'method',
  machineDetection: 'string',
  machineDetectionSilenceTimeout: 'integer',
  machineDetectionSpeechEndThreshold: 'integer',
  machineDetectionSpeechThreshold: 'integer',
  machineDetectionTimeout: 'integer',
};

/** Voice TwiML, keyed by spec name; `Response` is the root. */
export const VOICE_SCHEMA: Readonly<Record<string, ElementSpec>> = {
  Response: el(
    {},
    Object.fromEntries(
      [
        'Connect',
        'Dial',
        'Echo',
        'Enqueue',
        'Gather',
        'Hangup',
        'Leave',
        'Pause',
        'Pay',
        'Play',
        'Record',
        'Redirect',
        'Refer',
        'Reject',
        'Say',
        'Sms',
        'Start',
        'Stop',
      ].map((n) => [n, n]),
    ),
  ),
  Say: el({ voice: 'string', language: 'string', loop: 'integer' }, ssmlChildren, 'optional'),
  Play: el({ loop: 'integer', digits: 'string' }, {}, 'optional'),
  Pause: el({ length: 'integer' }),
  Hangup: el({}, parameter),
  Reject: el({ reason: { enum: ['rejected', 'busy'] } }, parameter),
  Leave: el({}),
  Redirect: el({ method: 'method' }, {}, 'required'),
  Gather: el(
    {
      action: 'url',
      actionOnEmptyResult: 'boolean',
      bargeIn: 'boolean',
      debug: 'boolean',
      enhanced: 'boolean',
      finishOnKey: 'string',
      hints: 'string',
      input: { list: ['dtmf', 'speech'] },
      language: 'string',
      maxSpeechTime: 'integer',
      method: 'method',
      numDigits: 'integer',
      partialResultCallback: 'url',
      partialResultCallbackMethod: 'method',
      profanityFilter: 'boolean',
      speechModel: 'string',
      speechTimeout: { integerOr: ['auto'] },
      timeout: 'integer',
    },
    prompts,
  ),
  Enqueue: el(
    {
      action: 'url',
      maxQueueSize: 'integer',
      method: 'method',
      waitUrl: 'url',
      waitUrlMethod: 'method',
      workflowSid: 'string',
    },
    { Task: 'Task' },
    'optional',
  ),
  Task: el({ priority: 'integer', timeout: 'integer' }, {}, 'required'),
  Dial: el(
    {
      action: 'url',
      answerOnBridge: 'boolean',
      callerId: 'string',
      callReason: 'string',
      events: { enum: ['call-progress-event'] },
      hangupOnStar: 'boolean',
      method: 'method',
      passports: 'string',
      record: {
        enum: ['do-not-record', 'record-from-answer', 'record-from-ringing', 'record-from-answer-dual', 'record-from-ringing-dual', 'true', 'false'],
      },
      recordingConfigurationId: 'string',
      recordingStatusCallback: 'url',
      recordingStatusCallbackEvent: RECORDING_EVENTS,
      recordingStatusCallbackMethod: 'method',
      recordingTrack: { enum: ['both', 'inbound', 'outbound'] },
      referMethod: 'method',
      referUrl: 'url',
      ringTone: 'string',
      sequential: 'boolean',
      timeLimit: 'integer',
      timeout: 'integer',
      trim: TRIM,
    },
    {
      Application: 'Application',
      Client: 'Client',
      Conference: 'Conference',
      Number: 'Number',
      Queue: 'Queue',
      Sim: 'Sim',
      Sip: 'Sip',
      WhatsApp: 'WhatsApp',
    },
    'optional',
  ),
  Client: el(
    { method: 'method', statusCallback: 'url', statusCallbackEvent: CALL_EVENTS, statusCallbackMethod: 'method', url: 'url' },
    { Identity: 'Identity', Parameter: 'Parameter' },
    'optional',
  ),
  Identity: el({}, {}, 'required'),
  Number: el(
    {
      ...amd,
      byoc: 'string',
      method: 'method',
      sendDigits: 'string',
      statusCallback: 'url',
      statusCallbackEvent: CALL_EVENTS,
      statusCallbackMethod: 'method',
      url: 'url',
    },
    {},
    'required',
  ),
  Sip: el(
    {
      ...amd,
      method: 'method',
      password: 'string',
      statusCallback: 'url',
      statusCallbackEvent: CALL_EVENTS,
      statusCallbackMethod: 'method',
      url: 'url',
      username: 'string',
    },
    { Headers: 'Headers', Uri: 'SipUri' },
    'optional',
  ),
  Headers: el({}, { Header: 'Header' }),
  Header: el({ name: 'string', value: 'string' }),
  SipUri: el({ password: 'string', priority: 'string', username: 'string', weight: 'string' }, {}, 'required'),
  Queue: el({ method: 'method', postWorkActivitySid: 'string', reservationSid: 'string', url: 'url' }, {}, 'required'),
  Conference: el(
    {
      beep: { enum: ['true', 'false', 'onEnter', 'onExit'] },
      coach: 'string',
      endConferenceOnExit: 'boolean',
      eventCallbackUrl: 'url',
      jitterBufferSize: { enum: ['large', 'medium', 'small', 'off'] },
      maxParticipants: 'integer',
      muted: 'boolean',
      participantLabel: 'string',
      record: { enum: ['do-not-record', 'record-from-start'] },
      recordingConfigurationId: 'string',
      recordingStatusCallback: 'url',
      recordingStatusCallbackEvent: RECORDING_EVENTS,
      recordingStatusCallbackMethod: 'method',
      region: 'string',
      startConferenceOnEnter: 'boolean',
      statusCallback: 'url',
      statusCallbackEvent: {
        list: ['start', 'end', 'join', 'leave', 'mute', 'hold', 'modify', 'speaker', 'announcement'],
      },
      statusCallbackMethod: 'method',
      trim: TRIM,
      waitMethod: 'method',
      waitUrl: 'url',
    },
    {},
    'required',
  ),
  Application: el(
    {
      copyParentTo: 'boolean',
      customerId: 'string',
      method: 'method',
      statusCallback: 'url',
      statusCallbackEvent: CALL_EVENTS,
      statusCallbackMethod: 'method',
      url: 'url',
    },
    { ApplicationSid: 'ApplicationSid', Parameter: 'Parameter' },
    'optional',
  ),
  ApplicationSid: el({}, {}, 'required'),
  Sim: el({}, {}, 'required'),
  WhatsApp: el({ method: 'method', statusCallback: 'url', statusCallbackEvent: CALL_EVENTS, statusCallbackMethod: 'method', url: 'url' }, {}, 'required'),
  Start: el({ action: 'url', method: 'method' }, { Stream: 'Stream', Siprec: 'Siprec', Transcription: 'Transcription' }),
  Stop: el({}, { Stream: 'Stream', Siprec: 'Siprec', Transcription: 'Transcription' }),
  Stream: el(streamAttributes, parameter),
  Parameter: el({ name: 'string', value: 'string' }),
  Siprec: el({ connectorName: 'string', name: 'string', statusCallback: 'url', statusCallbackMethod: 'method', track: STREAM_TRACK }, parameter),
  Transcription: el(
    {
      enableAutomaticPunctuation: 'boolean',
      hints: 'string',
      inboundTrackLabel: 'string',
      intelligenceService: 'string',
      languageCode: 'string',
      name: 'string',
      outboundTrackLabel: 'string',
      partialResults: 'boolean',
      profanityFilter: 'boolean',
      speechModel: 'string',
      statusCallbackMethod: 'method',
      statusCallbackUrl: 'url',
      track: STREAM_TRACK,
      transcriptionEngine: 'string',
    },
    parameter,
  ),
  Connect: el(
    { action: 'url', method: 'method' },
    {
      Stream: 'Stream',
      Room: 'Room',
      Conversation: 'Conversation',
      ConversationRelay: 'ConversationRelay',
      VirtualAgent: 'VirtualAgent',
      AiSession: 'AiSession',
      ConversationRelaySession: 'ConversationRelaySession',
      Autopilot: 'Autopilot',
    },
  ),
  Room: el({ participantIdentity: 'string' }, {}, 'required'),
  Conversation: el({}, {}, 'optional'),
  ConversationRelay: el({}, { Language: 'Language', Parameter: 'Parameter' }),
  VirtualAgent: el({}, { Config: 'Parameter', Parameter: 'Parameter' }),
  AiSession: el({ aiConnector: 'string', aiSessionConfiguration: 'string' }),
  ConversationRelaySession: el({ connector: 'string', sessionConfiguration: 'string' }),
  Autopilot: el({}, {}, 'required'),
  Language: el({}),
  Record: el({
    action: 'url',
    finishOnKey: 'string',
    maxLength: 'integer',
    method: 'method',
    playBeep: 'boolean',
    recordingConfigurationId: 'string',
    recordingStatusCallback: 'url',
    recordingStatusCallbackEvent: RECORDING_EVENTS,
    recordingStatusCallbackMethod: 'method',
    timeout: 'integer',
    transcribe: 'boolean',
    transcribeCallback: 'url',
    trim: TRIM,
  }),
  Sms: el({ action: 'url', from: 'string', method: 'method', statusCallback: 'url', to: 'string' }, {}, 'required'),
  Echo: el({}),
  Pay: el({}, { Parameter: 'Parameter', Prompt: 'Prompt' }),
  Prompt: el({}, prompts),
  Refer: el({ action: 'url', method: 'method' }, { Sip: 'ReferSip' }),
  ReferSip: el({}, {}, 'required'),
  ...Object.fromEntries(
    SSML.map((n) => [
      `ssml:${n}`,
      el(
        {
          strength: 'string',
          time: 'string',
          level: 'string',
          'xml:lang': 'string',
          alphabet: 'string',
          ph: 'string',
          pitch: 'string',
          rate: 'string',
          volume: 'string',
          'interpret-as': 'string',
          format: 'string',
          alias: 'string',
          role: 'string',
        },
        ssmlChildren,
        'optional',
      ),
    ]),
  ),
};

// Elements whose attribute lists twilio-node does not type are left open: validating them would invent rules.
const OPEN_ATTRIBUTES = new Set(['Conversation', 'ConversationRelay', 'VirtualAgent', 'Language', 'Pay', 'Prompt', 'Echo']);

/** Whether unknown attributes on this spec are tolerated (elements whose attributes we do not model). */
export function hasOpenAttributes(spec: string): boolean {
  return OPEN_ATTRIBUTES.has(spec);
}

/** Messaging TwiML. */
export const MESSAGING_SCHEMA: Readonly<Record<string, ElementSpec>> = {
  Response: el({}, { Message: 'Message', Redirect: 'Redirect' }),
  Message: el({ action: 'url', from: 'string', method: 'method', statusCallback: 'url', to: 'string' }, { Body: 'Body', Media: 'Media' }, 'optional'),
  Body: el({}, {}, 'required'),
  Media: el({}, {}, 'required'),
  Redirect: el({ method: 'method' }, {}, 'required'),
};

/** Verbs each execution context accepts at the top level of a document (beyond the schema's own nesting rules). */
export const CONTEXT_VERBS = {
  /** A call's own document: anything but `<Leave>`, which only means something while enqueued. */
  call: null,
  /** `<Enqueue waitUrl>`: Twilio's documented list. */
  wait: ['Play', 'Say', 'Pause', 'Hangup', 'Redirect', 'Leave', 'Gather'],
  /** `<Dial><Queue url>`, run on the dequeued caller before bridging. */
  queueAnnounce: ['Play', 'Say', 'Pause', 'Redirect'],
  /** `<Conference waitUrl>` hold documents. */
  conferenceWait: ['Play', 'Say', 'Pause', 'Redirect'],
  /** `<Number|Client|Sip url>`: runs on the answered party before bridging. */
  whisper: ['Play', 'Say', 'Pause', 'Gather', 'Hangup', 'Redirect'],
} as const satisfies Record<string, readonly string[] | null>;

/** Where a voice document runs, which decides the verbs it may use. */
export type VoiceContext = keyof typeof CONTEXT_VERBS;
