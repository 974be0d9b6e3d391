/**
 * Requests as the fuzz generators describe them: abstract enough that a generated request stays meaningful whatever
 * records the server holds when it is sent (a "known worker" is chosen among the workers that exist then), concrete
 * enough to be replayed from a finding's description.
 */

/** A SID prefix the API knows, or a name the connector accepts in place of a SID. */
export type HandleKind =
  | 'WS'
  | 'WA'
  | 'WQ'
  | 'WK'
  | 'TC'
  | 'WW'
  | 'WT'
  | 'WR'
  | 'EV'
  | 'WC'
  | 'PN'
  | 'IM'
  | 'CH'
  | 'CA'
  | 'SM'
  | 'AC'
  /** A configured phone number in E.164, an IVR menu's unique name, a task channel's unique name. */
  | 'E164'
  | 'MENU_NAME'
  | 'CHANNEL_NAME';

/**
 * A place in a path, query or body that names a record: one that exists when the request is sent (`pick` chooses
 * among them), a well-formed SID of nothing, or literal text.
 */
export type Handle = { use: 'known'; kind: HandleKind; pick: number } | { use: 'fresh'; kind: HandleKind } | { use: 'text'; text: string };

/** JSON text whose document may hold handles (a workflow configuration naming queues), resolved when sent. */
export interface JsonTemplate {
  use: 'json';
  value: unknown;
}

/** A parameter value: text, a handle, or JSON text with handles, resolved when the request is sent. */
export type Value = string | Handle | JsonTemplate;

/** One path segment: fixed text or a handle. */
export type Segment = string | Handle;

/** How the body is encoded. `contentType` is sent as given (null: no Content-Type header). */
export type BodySpec =
  | { encoding: 'none' }
  | { encoding: 'form'; params: Array<[string, Value]>; contentType: string | null }
  | { encoding: 'json'; value: unknown; contentType: string | null }
  | { encoding: 'multipart'; params: Array<[string, Value]>; contentType: string | null }
  | { encoding: 'raw'; text: string; contentType: string | null; contentEncoding?: string };

/** Which credentials the request carries. */
export type AuthSpec = { kind: 'good' } | { kind: 'none' } | { kind: 'header'; value: string };

/** Where the request goes: the TaskRouter API, the connector's API, or Twilio's webhooks. */
export type Surface = 'api' | 'connector' | 'webhook' | 'other';

/** How a webhook is signed: over what we send (`valid`), something else (`wrong`), or not at all. */
export type SignatureSpec = 'valid' | 'wrong' | 'none';

/** A generated HTTP request before handles are resolved. */
export interface AbstractRequest {
  surface: Surface;
  method: string;
  /** Segments after the first `/`, joined with `/`. */
  path: Segment[];
  /** Raw text appended to the path (odd encodings, trailing slashes); usually empty. */
  pathSuffix: string;
  query: Array<[string, Value]>;
  auth: AuthSpec;
  headers: Array<[string, string]>;
  body: BodySpec;
  signature: SignatureSpec;
  /**
   * Send the target in absolute form, as a proxy would: `self` puts this server's origin before the path, any other
   * text is put there as it is (`http://[::1`, `http://x:99999`); null sends the origin form.
   */
  absoluteForm: string | null;
}

/** A request ready to send: what goes on the wire, and what the oracle needs to judge the answer. */
export interface ConcreteRequest {
  surface: Surface;
  method: string;
  /** The request target as sent (origin form, or absolute form). */
  target: string;
  /** The path and query, as the server's routes see them (origin form). */
  pathAndQuery: string;
  headers: Array<[string, string]>;
  body: Buffer | null;
  /** The Content-Type sent with a body, lower-cased without parameters; null when none was sent. */
  mediaType: string | null;
  /** Body parameters by name (form and JSON bodies), for rules about what a request asked for. */
  params: Map<string, string[]>;
  /** Short human description for findings. */
  summary: string;
}

/** Where a request is sent and what it must know about the server. */
export interface TargetInfo {
  /** `http://127.0.0.1:PORT`, where requests are sent. */
  url: string;
  /** The public URL the server signs webhooks over. */
  publicUrl: string;
  accountSid: string;
  authToken: string;
}
