/** Twilio request parameters TaskRouter copies into a call's task, by their snake_case attribute names. */
const CALL_PARAMETERS: Record<string, string> = {
  CallSid: 'call_sid',
  AccountSid: 'account_sid',
  From: 'from',
  To: 'to',
  Caller: 'caller',
  Called: 'called',
  Direction: 'direction',
  CallStatus: 'call_status',
  ApiVersion: 'api_version',
};

const PARTIES = ['From', 'To', 'Caller', 'Called'];
const PLACES = ['City', 'State', 'Zip', 'Country'];

/**
 * The attributes TaskRouter gives a task created from a call: the call's identity, parties, direction and status,
 * and the geographic fields Twilio knows (`from_city`, `called_country`…). Parameters Twilio did not send are left
 * out rather than set empty.
 */
export function callAttributes(params: Record<string, string | undefined>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [param, attribute] of Object.entries(CALL_PARAMETERS)) {
    const value = params[param];
    if (value !== undefined) attributes[attribute] = value;
  }
  for (const party of PARTIES) {
    for (const place of PLACES) {
      const value = params[party + place];
      if (value !== undefined) attributes[`${party.toLowerCase()}_${place.toLowerCase()}`] = value;
    }
  }
  return attributes;
}

/**
 * The call attributes to shorten, in order, when a call's task would not fit TaskRouter's limit on attributes (a SIP
 * caller's long URIs, a long caller name): places first, then the parties; the call's sid and status never.
 */
export const SHORTENED_FIRST: readonly string[] = [
  ...PARTIES.flatMap((party) => PLACES.map((place) => `${party.toLowerCase()}_${place.toLowerCase()}`)),
  'caller',
  'called',
  'from',
  'to',
];

/** Every attribute `callAttributes` may set: the task takes them from the call, so configuration must not set them. */
export const CALL_ATTRIBUTE_NAMES: readonly string[] = [
  ...Object.values(CALL_PARAMETERS),
  ...PARTIES.flatMap((party) => PLACES.map((place) => `${party.toLowerCase()}_${place.toLowerCase()}`)),
];
