import { badRequest } from '../../core/errors.js';
import { parseDate } from './dates.js';

/** Values TaskRouter accepts for a boolean parameter (case-insensitive). */
const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

/**
 * Typed access to Twilio's PascalCase form or query parameters. Every reader returns `undefined` when the parameter
 * was not sent and throws 400/20001 naming the parameter when it was sent in the wrong shape, so routers can hand
 * the engine typed values and never see raw input.
 */
export class TwilioParams {
  constructor(private readonly source: Record<string, unknown>) {}

  /** Builds a reader over a request body (absent on GET and DELETE). */
  static of(source: unknown): TwilioParams {
    return new TwilioParams(source && typeof source === 'object' ? (source as Record<string, unknown>) : {});
  }

  has(name: string): boolean {
    return this.source[name] !== undefined;
  }

  /** Names of every parameter sent. */
  names(): string[] {
    return Object.keys(this.source).filter((k) => this.source[k] !== undefined);
  }

  string(name: string): string | undefined {
    const raw = this.source[name];
    if (raw === undefined) return undefined;
    // A repeated scalar keeps its last value, as most form handlers do.
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (typeof value !== 'string') throw badRequest(`${name} must be a string`);
    return value;
  }

  int(name: string): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (!/^-?\d+$/.test(text.trim())) throw badRequest(`${name} must be an integer, got '${text}'`);
    const value = Number(text.trim());
    if (!Number.isSafeInteger(value)) throw badRequest(`${name} is out of range`);
    return value;
  }

  bool(name: string): boolean | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const word = text.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    throw badRequest(`${name} must be true or false, got '${text}'`);
  }

  /** An ISO-8601 date-time as epoch milliseconds. */
  date(name: string): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const ms = parseDate(text);
    if (ms === null) throw badRequest(`${name} must be an ISO-8601 date-time such as 2014-05-14T18:50:02Z, got '${text}'`);
    return ms;
  }

  /** One of a fixed set of values. */
  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(text)) throw badRequest(`${name} must be one of ${allowed.join(', ')}, got '${text}'`);
    return text as T;
  }

  /**
   * A multi-valued parameter: the SDK repeats the key, other clients send a comma list; both are accepted and
   * may be mixed. Empty items are dropped.
   */
  list(name: string): string[] | undefined {
    const raw = this.source[name];
    if (raw === undefined) return undefined;
    const values = Array.isArray(raw) ? raw : [raw];
    const out: string[] = [];
    for (const v of values) {
      if (typeof v !== 'string') throw badRequest(`${name} must be a string or a list of strings`);
      out.push(
        ...v
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      );
    }
    return out;
  }

  /** Every parameter except `excluded`, as sent (strings or arrays of strings): for pass-through parameter groups. */
  rest(excluded: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const name of this.names()) {
      if (excluded.includes(name)) continue;
      const raw = this.source[name];
      const values = Array.isArray(raw) ? raw : [raw];
      if (values.some((v) => typeof v !== 'string')) throw badRequest(`${name} must be a string`);
      out[name] = raw;
    }
    return out;
  }
}
