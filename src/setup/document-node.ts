import { SetupError } from './setup-error.js';

/**
 * One value of a configuration document with the way to it (`workspaces[0].task_queues[2]`), read with the checks
 * every setting needs: each reader returns `undefined` when the key is absent or null and throws a SetupError naming
 * the file, the key's path and the problem when the value has the wrong shape.
 */
export class DocumentNode {
  constructor(
    readonly value: unknown,
    readonly path: string,
    readonly file: string,
  ) {}

  /** The path of `key` under this node. */
  at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  fail(problem: string, key?: string): never {
    throw new SetupError(this.file, key === undefined ? this.path : this.at(key), problem);
  }

  /** This node as a mapping holding no key outside `known`: a typo must not pass silently as "not set". */
  mapping(known: readonly string[]): this {
    if (!isMapping(this.value)) this.fail('must be a mapping (key: value)');
    const unknown = Object.keys(this.value).filter((key) => !known.includes(key));
    if (unknown.length > 0) this.fail(`unknown key; known keys here are ${known.join(', ')}`, unknown[0]);
    return this;
  }

  private raw(key: string): unknown {
    const value = (this.value as Record<string, unknown>)[key];
    return value === null ? undefined : value;
  }

  has(key: string): boolean {
    return this.raw(key) !== undefined;
  }

  /** The value under `key`, to read further. */
  child(key: string): DocumentNode {
    return new DocumentNode(this.raw(key), this.at(key), this.file);
  }

  /** The entries of a list under `key` (none when absent). */
  items(key: string): DocumentNode[] {
    const list = this.raw(key);
    if (list === undefined) return [];
    if (!Array.isArray(list)) this.fail('must be a list', key);
    return list.map((item, i) => new DocumentNode(item, `${this.at(key)}[${i}]`, this.file));
  }

  text(key: string, max = 4096): string | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') this.fail('must be text', key);
    if (value.trim() === '') this.fail('must not be empty', key);
    if (value.length > max) this.fail(`must be at most ${max} characters`, key);
    return value;
  }

  requiredText(key: string, max?: number): string {
    const value = this.text(key, max);
    if (value === undefined) this.fail('is required', key);
    return value;
  }

  int(key: string, min: number, max: number): number | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) this.fail(`must be a whole number from ${min} to ${max}`, key);
    return value;
  }

  bool(key: string): boolean | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') this.fail('must be true or false', key);
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.text(key);
    if (value !== undefined && !(allowed as readonly string[]).includes(value)) this.fail(`must be one of ${allowed.join(', ')}, got '${value}'`, key);
    return value as T | undefined;
  }

  /** A mapping kept as data (attributes, a workflow's configuration). */
  data(key: string): Record<string, unknown> | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (!isMapping(value)) this.fail('must be a mapping (key: value)', key);
    return value;
  }

  /** A list of words, written as a list or as one comma-separated text. */
  words(key: string): string[] | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    const items = typeof value === 'string' ? value.split(',') : value;
    if (!Array.isArray(items) || items.some((item) => typeof item !== 'string')) this.fail('must be a list of words', key);
    return (items as string[]).map((item) => item.trim()).filter((item) => item !== '');
  }
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
