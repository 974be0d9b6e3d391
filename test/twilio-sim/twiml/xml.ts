/**
 * A small, strict XML parser: enough XML for TwiML, and nothing forgiving. Twilio rejects a malformed document
 * (error 12100) rather than guessing, so this parser refuses everything a conforming parser would refuse in a
 * TwiML-sized document: mismatched or unclosed tags, duplicate or unquoted attributes, stray `<` or `&`, undefined
 * entities, several root elements, text outside the root, DOCTYPEs.
 */

/** An element with its attributes and children in document order. */
export interface XmlElement {
  kind: 'element';
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
}

/** Character data, entities already decoded. */
export interface XmlText {
  kind: 'text';
  text: string;
}

export type XmlNode = XmlElement | XmlText;

/** Why a document is not well-formed, with the offset where the parser gave up. */
export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at offset ${offset})`);
    this.name = 'XmlSyntaxError';
  }
}

const NAME_START = /[A-Za-z_:]/;
const NAME_CHAR = /[A-Za-z0-9_:.\-]/;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Parses one XML document and returns its root element; throws {@link XmlSyntaxError} when it is not well-formed. */
export function parseXml(source: string): XmlElement {
  let pos = 0;
  // A byte-order mark is legal before the declaration.
  if (source.charCodeAt(0) === 0xfeff) pos = 1;

  const fail = (message: string, at = pos): never => {
    throw new XmlSyntaxError(message, at);
  };
  const startsWith = (s: string) => source.startsWith(s, pos);
  const skipSpace = () => {
    while (pos < source.length && /\s/.test(source[pos]!)) pos++;
  };

  const readName = (): string => {
    const start = pos;
    if (!NAME_START.test(source[pos] ?? '')) fail('expected a name');
    pos++;
    while (pos < source.length && NAME_CHAR.test(source[pos]!)) pos++;
    return source.slice(start, pos);
  };

  const decode = (raw: string, at: number): string =>
    raw.replace(/&([^;&\s]*);?/g, (match, body: string, offset: number) => {
      if (!match.endsWith(';')) fail('unterminated entity reference', at + offset);
      if (body.startsWith('#x')) {
        const code = Number.parseInt(body.slice(2), 16);
        if (!/^#x[0-9A-Fa-f]+$/.test(body) || code > 0x10ffff) fail(`bad character reference &${body};`, at + offset);
        return String.fromCodePoint(code);
      }
      if (body.startsWith('#')) {
        const code = Number.parseInt(body.slice(1), 10);
        if (!/^#[0-9]+$/.test(body) || code > 0x10ffff) fail(`bad character reference &${body};`, at + offset);
        return String.fromCodePoint(code);
      }
      const value = PREDEFINED[body];
      if (value === undefined) fail(`undefined entity &${body};`, at + offset);
      return value!;
    });

  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (startsWith('<!--')) {
        const end = source.indexOf('-->', pos + 4);
        if (end < 0) fail('unterminated comment');
        if (source.slice(pos + 4, end).includes('--')) fail("'--' inside a comment");
        pos = end + 3;
      } else if (startsWith('<?')) {
        const end = source.indexOf('?>', pos + 2);
        if (end < 0) fail('unterminated processing instruction');
        const target = /^<\?([A-Za-z_:][A-Za-z0-9_:.\-]*)/.exec(source.slice(pos, end))?.[1];
        if (!target) fail('processing instruction without a target');
        if (target!.toLowerCase() === 'xml') fail('XML declaration is only allowed at the very start');
        pos = end + 2;
      } else {
        return;
      }
    }
  };

  // The declaration, if present, must be the very first thing in the document.
  if (startsWith('<?xml') && /\s|\?/.test(source[pos + 5] ?? '')) {
    const end = source.indexOf('?>', pos);
    if (end < 0) fail('unterminated XML declaration');
    const decl = source.slice(pos + 5, end);
    if (!/^\s+version\s*=\s*(['"])1\.[0-9]+\1(\s+encoding\s*=\s*(['"])[A-Za-z][A-Za-z0-9._\-]*\3)?(\s+standalone\s*=\s*(['"])(yes|no)\5)?\s*$/.test(decl)) {
      fail('malformed XML declaration');
    }
    pos = end + 2;
  }
  skipMisc();
  if (startsWith('<!DOCTYPE')) fail('DOCTYPE is not allowed in TwiML');
  if (source[pos] !== '<') fail('expected the root element');

  const parseElement = (): XmlElement => {
    pos++; // '<'
    const name = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      const hadSpace = /\s/.test(source[pos] ?? '');
      skipSpace();
      if (startsWith('/>')) {
        pos += 2;
        return { kind: 'element', name, attributes, children: [] };
      }
      if (source[pos] === '>') {
        pos++;
        break;
      }
      if (pos >= source.length) fail(`unterminated start tag <${name}>`);
      if (!hadSpace) fail('attributes must be separated by whitespace');
      const attrAt = pos;
      const attr = readName();
      skipSpace();
      if (source[pos] !== '=') fail(`attribute ${attr} has no value`);
      pos++;
      skipSpace();
      const quote = source[pos];
      if (quote !== '"' && quote !== "'") fail(`attribute ${attr} value must be quoted`);
      const end = source.indexOf(quote!, pos + 1);
      if (end < 0) fail(`unterminated value for attribute ${attr}`);
      const raw = source.slice(pos + 1, end);
      if (raw.includes('<')) fail(`'<' inside the value of attribute ${attr}`, pos + 1 + raw.indexOf('<'));
      if (Object.hasOwn(attributes, attr)) fail(`duplicate attribute ${attr}`, attrAt);
      // Attribute-value normalisation: literal whitespace characters become spaces.
      attributes[attr] = decode(raw.replace(/[\t\n\r]/g, ' '), pos + 1);
      pos = end + 1;
    }

    const children: XmlNode[] = [];
    const pushText = (text: string) => {
      const last = children[children.length - 1];
      if (last?.kind === 'text') last.text += text;
      else if (text) children.push({ kind: 'text', text });
    };
    for (;;) {
      if (pos >= source.length) fail(`unclosed element <${name}>`);
      if (startsWith('</')) {
        pos += 2;
        const closing = readName();
        if (closing !== name) fail(`mismatched closing tag </${closing}> for <${name}>`);
        skipSpace();
        if (source[pos] !== '>') fail(`malformed closing tag </${closing}>`);
        pos++;
        return { kind: 'element', name, attributes, children };
      }
      if (startsWith('<!--')) {
        const end = source.indexOf('-->', pos + 4);
        if (end < 0) fail('unterminated comment');
        if (source.slice(pos + 4, end).includes('--')) fail("'--' inside a comment");
        pos = end + 3;
        continue;
      }
      if (startsWith('<![CDATA[')) {
        const end = source.indexOf(']]>', pos + 9);
        if (end < 0) fail('unterminated CDATA section');
        pushText(source.slice(pos + 9, end));
        pos = end + 3;
        continue;
      }
      if (startsWith('<?')) {
        const end = source.indexOf('?>', pos + 2);
        if (end < 0) fail('unterminated processing instruction');
        pos = end + 2;
        continue;
      }
      if (startsWith('<!')) fail('markup declarations are not allowed here');
      if (source[pos] === '<') {
        children.push(parseElement());
        continue;
      }
      const next = source.indexOf('<', pos);
      const end = next < 0 ? source.length : next;
      const raw = source.slice(pos, end);
      if (raw.includes(']]>')) fail("']]>' in character data", pos + raw.indexOf(']]>'));
      pushText(decode(raw, pos));
      pos = end;
    }
  };

  const root = parseElement();
  skipMisc();
  if (pos < source.length) fail(source[pos] === '<' ? 'more than one root element' : 'text after the root element');
  return root;
}

/** The concatenated text directly inside an element (not inside its child elements). */
export function ownText(element: XmlElement): string {
  return element.children
    .filter((c): c is XmlText => c.kind === 'text')
    .map((c) => c.text)
    .join('');
}
