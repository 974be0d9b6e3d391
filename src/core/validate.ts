import type { CallbackUrlPolicy } from './callback-url.js';
import { badRequest } from './errors.js';

/** Parameter checks shared by every resource; each throws a 400/20001 naming the parameter. */

export function requireParam<T>(value: T | undefined, name: string): T {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    throw badRequest(`Missing required parameter ${name} in the post body`);
  }
  return value;
}

export function friendlyName(value: string, name = 'FriendlyName', max = 64): string {
  if (value.length > max) throw badRequest(`${name} must be at most ${max} characters`);
  return value;
}

export const MAX_ATTRIBUTES_LENGTH = 4096;

/** A JSON object serialized as a string, at most `max` characters (whitespace counts, as in TaskRouter). */
export function attributesJson(value: string, name = 'Attributes', max = MAX_ATTRIBUTES_LENGTH): string {
  if (value.length > max) throw badRequest(`${name} must be at most ${max} characters, got ${value.length}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw badRequest(`${name} is not valid JSON`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw badRequest(`${name} must be a JSON object`);
  return value;
}

export function intInRange(value: number, name: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`${name} must be an integer between ${min} and ${max}`);
  }
  return value;
}

export function oneOf<T extends string>(value: string, name: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw badRequest(`${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/**
 * A callback URL the server will POST to: empty (no callback), or one `policy` admits — http(s), no credentials, no
 * control characters, no address callbacks may not reach. The 400 names the parameter and the reason.
 */
export function callbackUrl(value: string, name: string, policy: CallbackUrlPolicy): string {
  if (value === '') return value;
  const refusal = policy.refusalOfUrl(value);
  if (refusal) throw badRequest(`${name} ${refusal}`);
  return value;
}
