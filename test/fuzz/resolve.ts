import { deflateSync, gzipSync } from 'node:zlib';
import twilio from 'twilio';
import type { AbstractRequest, BodySpec, ConcreteRequest, Handle, TargetInfo, Value } from './request-model.js';
import { freshHandle, type SidCatalog } from './sid-catalog.js';

/** Turns a generated request into bytes on the wire, naming records the server holds now. */
export function resolveRequest(request: AbstractRequest, catalog: SidCatalog, target: TargetInfo): ConcreteRequest {
  let workspace: string | null = null;
  const name = (handle: Handle): string => {
    if (handle.use === 'text') return handle.text;
    if (handle.use === 'fresh') return freshHandle(handle.kind);
    const found = catalog.pick(handle.kind, handle.pick, workspace ?? catalog.pick('WS', 0, null));
    const value = found ?? freshHandle(handle.kind);
    if (handle.kind === 'WS' && workspace === null) workspace = value;
    return value;
  };
  const value = (v: Value): string => {
    if (typeof v === 'string') return v;
    if (v.use === 'json') return JSON.stringify(withHandles(v.value, name));
    return name(v);
  };

  const path = '/' + request.path.map((segment) => (typeof segment === 'string' ? segment : encodeSegment(name(segment)))).join('/') + request.pathSuffix;
  const query = new URLSearchParams(request.query.map(([k, v]): [string, string] => [k, value(v)])).toString();
  const pathAndQuery = query ? `${path}?${query}` : path;
  const encoded = encodeBody(request.body, value);
  const headers: Array<[string, string]> = [];
  if (request.auth.kind === 'good') headers.push(['Authorization', 'Basic ' + Buffer.from(`${target.accountSid}:${target.authToken}`).toString('base64')]);
  if (request.auth.kind === 'header') headers.push(['Authorization', request.auth.value]);
  if (encoded.contentType !== null) headers.push(['Content-Type', encoded.contentType]);
  if (request.body.encoding === 'raw' && request.body.contentEncoding) headers.push(['Content-Encoding', request.body.contentEncoding]);
  headers.push(...request.headers);
  if (request.signature !== 'none') {
    const signedParams = encoded.isForm && encoded.bytes ? formObject(encoded.bytes.toString('utf8')) : {};
    const url = target.publicUrl.replace(/\/+$/, '') + pathAndQuery;
    const signature = twilio.getExpectedTwilioSignature(target.authToken, request.signature === 'valid' ? url : url + 'x', signedParams);
    headers.push(['X-Twilio-Signature', signature]);
  }
  const origin = request.absoluteForm === 'self' ? new URL(target.url).origin : request.absoluteForm;
  return {
    surface: request.surface,
    method: request.method,
    target: origin === null ? pathAndQuery : origin + pathAndQuery,
    pathAndQuery,
    headers,
    body: encoded.bytes,
    mediaType: encoded.bytes && encoded.contentType ? encoded.contentType.split(';')[0]!.trim().toLowerCase() : null,
    params: encoded.params,
    summary: `${request.method} ${origin ?? ''}${pathAndQuery}`,
  };
}

interface EncodedBody {
  bytes: Buffer | null;
  contentType: string | null;
  isForm: boolean;
  params: Map<string, string[]>;
}

function encodeBody(body: BodySpec, value: (v: Value) => string): EncodedBody {
  const params = new Map<string, string[]>();
  const note = (k: string, v: string) => params.set(k, [...(params.get(k) ?? []), v]);
  switch (body.encoding) {
    case 'none':
      return { bytes: null, contentType: null, isForm: false, params };
    case 'form': {
      const form = new URLSearchParams();
      for (const [k, v] of body.params) {
        const text = value(v);
        form.append(k, text);
        note(k, text);
      }
      const isForm = (body.contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
      return { bytes: Buffer.from(form.toString(), 'utf8'), contentType: body.contentType, isForm, params };
    }
    case 'json': {
      const resolved = withHandles(body.value, (h) => value(h));
      if (resolved && typeof resolved === 'object' && !Array.isArray(resolved)) {
        for (const [k, v] of Object.entries(resolved)) note(k, typeof v === 'string' ? v : JSON.stringify(v));
      }
      return { bytes: Buffer.from(JSON.stringify(resolved) ?? 'null', 'utf8'), contentType: body.contentType, isForm: false, params };
    }
    case 'multipart': {
      const parts = body.params.map(([k, v]) => {
        const text = value(v);
        note(k, text);
        return `--fuzzboundary\r\nContent-Disposition: form-data; name="${k.replace(/"/g, '%22')}"\r\n\r\n${text}\r\n`;
      });
      return { bytes: Buffer.from(parts.join('') + '--fuzzboundary--\r\n', 'utf8'), contentType: body.contentType, isForm: false, params };
    }
    case 'raw': {
      let bytes = Buffer.from(body.text, 'utf8');
      if (body.contentEncoding === 'gzip') bytes = gzipSync(bytes);
      if (body.contentEncoding === 'deflate') bytes = deflateSync(bytes);
      const isForm = (body.contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
      if (isForm) for (const [k, v] of new URLSearchParams(body.text)) note(k, v);
      return { bytes, contentType: body.contentType, isForm, params };
    }
  }
}

/** Percent-encodes a path segment byte by byte (lone surrogates, which encodeURIComponent refuses, as U+FFFD). */
export function encodeSegment(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** A parsed form as twilio-node's signature helpers take it: repeated keys as arrays. */
function formObject(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** A JSON value with every handle inside replaced by the name it resolves to. */
function withHandles(value: unknown, name: (h: Handle) => string): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => withHandles(v, name));
  const record = value as Record<string, unknown>;
  if (record.use === 'known' || record.use === 'fresh' || record.use === 'text') {
    if (typeof record.kind === 'string' || typeof record.text === 'string') return name(record as unknown as Handle);
  }
  if (record.use === 'json') return JSON.stringify(withHandles(record.value, name));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record))
    Object.defineProperty(out, k, { value: withHandles(v, name), enumerable: true, writable: true, configurable: true });
  return out;
}
