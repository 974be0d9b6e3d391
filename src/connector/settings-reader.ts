import { badRequest } from '../core/errors.js';

/** Whether `value` is an absolute http(s) URL: what Twilio can fetch, nothing relative or of another scheme. */
export function isHttpUrl(value: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return false;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:';
}

/**
 * How deeply a nested setting (a menu's options and their attributes) may nest: far beyond any real configuration,
 * and shallow enough for every recursive walk the value meets later — JSON writing in the stores, attribute merges,
 * expressions on task attributes — none of which may run out of stack.
 */
export const MAX_SETTING_DEPTH = 32;

/**
 * Typed access to connector settings as they arrive: a JSON body or file (native numbers, booleans, arrays) or a
 * form (everything a string, nested values as JSON text). Each reader returns `undefined` when the setting is
 * absent, `null` when it is explicitly cleared (JSON null, or an empty form value), and throws a 400 naming the
 * setting — prefixed with `where`, e.g. `phone_numbers[2].` — when the value has the wrong shape.
 */
export class SettingsReader {
  constructor(
    private readonly source: Record<string, unknown>,
    private readonly where = '',
  ) {}

  /** A reader over a request body or a file entry; anything but an object is refused. */
  static of(source: unknown, where = ''): SettingsReader {
    if (source === undefined || source === null) return new SettingsReader({}, where);
    if (typeof source !== 'object' || Array.isArray(source)) throw badRequest(`${where || 'the body '}must be an object`);
    return new SettingsReader(source as Record<string, unknown>, where);
  }

  /** The setting's full name in error messages. */
  name(key: string): string {
    return `${this.where}${key}`;
  }

  has(key: string): boolean {
    return this.source[key] !== undefined;
  }

  /** Refuses settings outside `known`: a typo must not pass silently as "not set". */
  rejectUnknown(known: readonly string[]): void {
    const unknown = Object.keys(this.source).filter((k) => !known.includes(k));
    if (unknown.length > 0) throw badRequest(`Unknown setting ${unknown.map((k) => this.name(k)).join(', ')}; known settings are ${known.join(', ')}`);
  }

  text(key: string, max = 4096): string | null | undefined {
    const raw = this.scalar(key);
    if (raw === undefined || raw === null) return raw;
    if (typeof raw !== 'string') throw badRequest(`${this.name(key)} must be a string`);
    if (raw.length > max) throw badRequest(`${this.name(key)} must be at most ${max} characters`);
    return raw;
  }

  int(key: string, min: number, max: number): number | null | undefined {
    const raw = this.scalar(key);
    if (raw === undefined || raw === null) return raw;
    const value = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw badRequest(`${this.name(key)} must be an integer between ${min} and ${max}`);
    }
    return value;
  }

  bool(key: string): boolean | null | undefined {
    const raw = this.scalar(key);
    if (raw === undefined || raw === null || typeof raw === 'boolean') return raw;
    const word = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    if (word === 'true') return true;
    if (word === 'false') return false;
    throw badRequest(`${this.name(key)} must be true or false`);
  }

  /** An absolute http(s) URL: Twilio fetches it, so nothing relative or of another scheme will do. */
  url(key: string): string | null | undefined {
    const value = this.text(key, 2048);
    if (value === undefined || value === null) return value;
    if (!isHttpUrl(value)) {
      throw badRequest(`${this.name(key)} must be an absolute http(s) URL, got '${value}'`);
    }
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | null | undefined {
    const value = this.text(key);
    if (value === undefined || value === null) return value;
    if (!(allowed as readonly string[]).includes(value)) throw badRequest(`${this.name(key)} must be one of ${allowed.join(', ')}, got '${value}'`);
    return value as T;
  }

  /** A list: a JSON array, JSON text of one, or a comma- or space-separated form value. */
  list(key: string): string[] | null | undefined {
    const raw = this.structured(key);
    if (raw === undefined || raw === null) return raw;
    const items = typeof raw === 'string' ? raw.split(/[\s,]+/).filter((s) => s !== '') : raw;
    if (!Array.isArray(items) || items.some((i) => typeof i !== 'string')) throw badRequest(`${this.name(key)} must be a list of strings`);
    return items as string[];
  }

  /**
   * A nested value (objects, arrays): native, or JSON text in a form. Refused when it nests deeper than
   * `MAX_SETTING_DEPTH` or uses the key `__proto__`, which merging it into another object would take for that
   * object's prototype.
   */
  structured(key: string): unknown {
    const raw = this.source[key];
    if (raw === undefined || raw === null || raw === '') return raw === '' ? null : raw;
    let value: unknown = raw;
    if (typeof raw === 'string') {
      if (!/^\s*[[{]/.test(raw)) return raw;
      try {
        value = JSON.parse(raw);
      } catch {
        throw badRequest(`${this.name(key)} is not valid JSON`);
      }
    }
    checkNesting(value, this.name(key));
    return value;
  }

  private scalar(key: string): unknown {
    const raw = this.source[key];
    // A repeated form key keeps its last value, as the TaskRouter API does.
    const value = Array.isArray(raw) && raw.every((v) => typeof v === 'string') ? raw[raw.length - 1] : raw;
    return value === '' ? null : value;
  }
}

/** A value met while walking a nested setting, with the way to it. */
interface Visit {
  item: unknown;
  depth: number;
  key: string;
  parent: Visit | null;
}

/**
 * Refuses a nested setting deeper than `MAX_SETTING_DEPTH` or using the key `__proto__`, naming where (from `name`).
 * A work list rather than recursion, so no depth it is handed can exhaust the stack.
 */
function checkNesting(value: unknown, name: string): void {
  const pending: Visit[] = [{ item: value, depth: 1, key: name, parent: null }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const { item, depth } = visit;
    if (item === null || typeof item !== 'object') continue;
    if (depth > MAX_SETTING_DEPTH) throw badRequest(`${wayTo(visit)} nests deeper than ${MAX_SETTING_DEPTH} levels of objects and lists`);
    if (!Array.isArray(item) && Object.hasOwn(item, '__proto__')) throw badRequest(`${wayTo(visit)} must not use the key __proto__`);
    for (const [key, child] of Object.entries(item)) {
      pending.push({ item: child, depth: depth + 1, key: Array.isArray(item) ? `[${key}]` : `.${key}`, parent: visit });
    }
  }
}

/** The way to a visited value, as far as the setting's structure goes: its first few steps, which name the entry. */
function wayTo(visit: Visit): string {
  const steps: string[] = [];
  for (let at: Visit | null = visit; at; at = at.parent) steps.unshift(at.key);
  const shown = 5;
  return steps.length > shown ? `${steps.slice(0, shown).join('')}…` : steps.join('');
}

/** `IvrMenuSid` → `ivr_menu_sid`: form clients may send Twilio-style PascalCase names. */
export function snakeCaseKeys(source: unknown): unknown {
  if (!source || typeof source !== 'object' || Array.isArray(source)) return source;
  return Object.fromEntries(Object.entries(source as Record<string, unknown>).map(([k, v]) => [k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase(), v]));
}
