import { badRequest } from '../../core/errors.js';

/**
 * Typed reads of an instruction's parameters as the engine hands them over: Twilio's REST names with values as sent
 * (strings; a repeated parameter as a list).
 */
export class InstructionParams {
  constructor(private readonly params: Record<string, unknown>) {}

  text(name: string): string | undefined {
    const raw = this.params[name];
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  }

  list(name: string): string[] | undefined {
    const raw = this.params[name];
    if (raw === undefined) return undefined;
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
    return values.flatMap((v) => v.split(/[\s,]+/)).filter((v) => v !== '');
  }

  int(name: string, min: number, max: number): number | undefined {
    const text = this.text(name);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) throw badRequest(`${name} must be an integer between ${min} and ${max}, got '${text}'`);
    return value;
  }

  bool(name: string): boolean | undefined {
    const text = this.text(name)?.toLowerCase();
    if (text === undefined) return undefined;
    if (text === 'true') return true;
    if (text === 'false') return false;
    throw badRequest(`${name} must be true or false, got '${text}'`);
  }

  /** An absolute http(s) URL Twilio will fetch. */
  url(name: string): string | undefined {
    const text = this.text(name);
    if (text === undefined) return undefined;
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(text).protocol);
    } catch {
      // reported below
    }
    if (!ok) throw badRequest(`${name} must be an absolute http(s) URL, got '${text}'`);
    return text;
  }
}
