import { parseXml, ownText, XmlSyntaxError, type XmlElement } from './xml.js';
import { CONTEXT_VERBS, MESSAGING_SCHEMA, VOICE_SCHEMA, hasOpenAttributes, type AttrType, type ElementSpec, type VoiceContext } from './schema.js';

/** One validated TwiML element: a verb, a noun or a nested element. */
export interface TwimlNode {
  name: string;
  attributes: Readonly<Record<string, string>>;
  /** The element's own text, trimmed (a queue name, a URL, words to say). */
  text: string;
  children: readonly TwimlNode[];
}

/** A document that passed validation: the verbs under `<Response>`, in order. */
export interface TwimlDocument {
  verbs: readonly TwimlNode[];
}

/**
 * A TwiML document Twilio would refuse. `code` is Twilio's: 12100 when the XML is not well-formed, 12200 when it is
 * well-formed but breaks the TwiML schema (unknown verb, bad nesting, unknown attribute, bad value).
 */
export class TwimlError extends Error {
  constructor(
    readonly code: 12100 | 12200,
    message: string,
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
    this.name = 'TwimlError';
  }
}

/** What a document is for: voice (in a given execution context) or messaging. */
export type TwimlKind = { kind: 'voice'; context?: VoiceContext } | { kind: 'messaging' };

/** Parses and validates a TwiML document; throws {@link TwimlError} listing every problem found. */
export function parseTwiml(xml: string, kind: TwimlKind): TwimlDocument {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw new TwimlError(12100, `Document parse failure: ${err.message}`);
    throw err;
  }
  const schema = kind.kind === 'voice' ? VOICE_SCHEMA : MESSAGING_SCHEMA;
  const problems: string[] = [];
  if (root.name !== 'Response') {
    throw new TwimlError(12200, `Root element must be <Response>, got <${root.name}>`);
  }
  const response = convert(root, 'Response', schema, problems, 'Response');

  if (kind.kind === 'voice') {
    const context = kind.context ?? 'call';
    const allowed: readonly string[] | null = CONTEXT_VERBS[context];
    for (const verb of response.children) {
      if (allowed && !allowed.includes(verb.name)) {
        problems.push(`<${verb.name}> is not allowed in a ${describeContext(context)} document`);
      } else if (!allowed && verb.name === 'Leave') {
        problems.push('<Leave> is only allowed in an <Enqueue> waitUrl document');
      }
    }
  }
  if (problems.length) throw new TwimlError(12200, `Schema validation failed: ${problems[0]}`, problems);
  return { verbs: response.children };
}

function describeContext(context: VoiceContext): string {
  switch (context) {
    case 'wait':
      return '<Enqueue> waitUrl';
    case 'queueAnnounce':
      return '<Dial><Queue url>';
    case 'conferenceWait':
      return '<Conference> waitUrl';
    case 'whisper':
      return '<Dial> noun url';
    default:
      return 'call';
  }
}

function convert(element: XmlElement, specName: string, schema: Readonly<Record<string, ElementSpec>>, problems: string[], path: string): TwimlNode {
  const spec = schema[specName]!;
  for (const [attr, value] of Object.entries(element.attributes)) {
    const type = spec.attributes[attr];
    if (!type) {
      // Namespace declarations are legal XML and carry no TwiML meaning.
      if (attr === 'xmlns' || attr.startsWith('xmlns:') || hasOpenAttributes(specName)) continue;
      problems.push(`${path}: unknown attribute "${attr}"`);
      continue;
    }
    const error = checkValue(type, value);
    if (error) problems.push(`${path}@${attr}: ${error} (got "${value}")`);
  }

  const children: TwimlNode[] = [];
  for (const child of element.children) {
    if (child.kind === 'text') continue;
    const childSpec = spec.children[child.name];
    if (!childSpec) {
      const known = schema[child.name] !== undefined && child.name !== 'Response';
      problems.push(known ? `<${child.name}> is not allowed inside <${element.name}>` : `unknown element <${child.name}> inside <${element.name}>`);
      continue;
    }
    children.push(convert(child, childSpec, schema, problems, `${path}/${child.name}`));
  }

  const text = ownText(element).trim();
  if (spec.text === 'none' && text) problems.push(`${path}: text is not allowed inside <${element.name}>`);
  const node: TwimlNode = { name: element.name, attributes: element.attributes, text, children };
  checkSemantics(node, specName, problems, path);
  if (spec.text === 'required' && !text) problems.push(`${path}: <${element.name}> needs text content`);
  return node;
}

function checkValue(type: AttrType, value: string): string | null {
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        return null;
      case 'url':
        return /\s/.test(value.trim()) ? 'not a URL' : null;
      case 'method':
        return value === 'GET' || value === 'POST' ? null : 'must be GET or POST';
      case 'boolean':
        return value === 'true' || value === 'false' ? null : 'must be true or false';
      case 'integer':
        return /^[0-9]+$/.test(value) ? null : 'must be a non-negative integer';
      case 'number':
        return Number.isFinite(Number(value)) && value.trim() !== '' ? null : 'must be a number';
    }
  }
  if ('enum' in type) return type.enum.includes(value) ? null : `must be one of ${type.enum.join(', ')}`;
  if ('integerOr' in type) {
    return /^[0-9]+$/.test(value) || type.integerOr.includes(value) ? null : `must be an integer or ${type.integerOr.join(', ')}`;
  }
  const items = value.split(/[\s,]+/).filter(Boolean);
  if (!items.length) return 'must not be empty';
  const bad = items.filter((i) => !type.list.includes(i));
  return bad.length ? `unknown value(s) ${bad.join(', ')}; allowed: ${type.list.join(', ')}` : null;
}

const EXCLUSIVE_NOUNS = ['Queue', 'Conference'];

function checkSemantics(node: TwimlNode, spec: string, problems: string[], path: string): void {
  const has = (name: string) => node.children.some((c) => c.name === name);
  switch (spec) {
    case 'Dial': {
      const nouns = node.children;
      if (node.text && nouns.length) problems.push(`${path}: <Dial> has both a number as text and nested nouns`);
      if (!node.text && !nouns.length) problems.push(`${path}: <Dial> has nothing to dial`);
      if (nouns.some((n) => EXCLUSIVE_NOUNS.includes(n.name)) && nouns.length > 1) {
        problems.push(`${path}: <Queue> and <Conference> must be the only noun inside <Dial>`);
      }
      break;
    }
    case 'Enqueue':
      if (!node.text && !node.attributes.workflowSid) problems.push(`${path}: <Enqueue> needs a queue name`);
      if (node.text.length > 64) problems.push(`${path}: queue names are at most 64 characters`);
      break;
    case 'Queue':
      if (node.text.length > 64) problems.push(`${path}: queue names are at most 64 characters`);
      break;
    case 'Play':
      if (!node.text && node.attributes.digits === undefined) problems.push(`${path}: <Play> needs a URL or digits`);
      if (node.attributes.digits !== undefined && !/^[0-9wW*#]+$/.test(node.attributes.digits)) {
        problems.push(`${path}@digits: only 0-9, *, # and w are allowed`);
      }
      break;
    case 'Say':
      if (!node.text && !node.children.length) problems.push(`${path}: <Say> has nothing to say`);
      break;
    case 'Client':
      if (!node.text && !has('Identity')) problems.push(`${path}: <Client> needs an identity`);
      if (node.text && has('Identity')) problems.push(`${path}: <Client> has both text and <Identity>`);
      break;
    case 'Sip':
      if (!node.text && !has('Uri')) problems.push(`${path}: <Sip> needs a SIP URI`);
      if (node.text && !/^sips?:/i.test(node.text)) problems.push(`${path}: "${node.text}" is not a sip: URI`);
      break;
    case 'Parameter':
      if (node.attributes.name === undefined) problems.push(`${path}: <Parameter> needs a name`);
      break;
    case 'Start':
    case 'Stop':
      if (!node.children.length) problems.push(`${path}: <${node.name}> needs a nested noun`);
      break;
    case 'Connect':
      if (node.children.length !== 1) problems.push(`${path}: <Connect> takes exactly one noun`);
      break;
    case 'Gather':
      if (node.attributes.numDigits === '0') problems.push(`${path}@numDigits: must be at least 1`);
      break;
    case 'Stream':
      if (path.includes('/Stop/')) {
        if (!node.attributes.name && !node.attributes.url) problems.push(`${path}: <Stop><Stream> needs a name`);
      } else if (!node.attributes.url) {
        problems.push(`${path}: <Stream> needs a url`);
      } else if (!/^wss?:\/\//i.test(node.attributes.url)) {
        problems.push(`${path}@url: a stream URL must be a WebSocket URL (wss://)`);
      }
      break;
    case 'Message':
      if (!node.text && !node.children.length) problems.push(`${path}: <Message> has no body and no media`);
      if (node.text && has('Body')) problems.push(`${path}: <Message> has both text and <Body>`);
      break;
  }
}
