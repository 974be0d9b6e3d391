import type { RedisClient } from './connection.js';
import type { ScriptCommands } from './scripts.js';

/** Merged reads stay small: Lua unpacks a bounded number of values, and big reads gain nothing from merging. */
const MAX_MERGED_FIELDS = 1_000;

interface Read {
  hash: string;
  fields: string[];
  resolve(values: Array<string | null>): void;
  reject(err: unknown): void;
}

/**
 * Record reads of one workspace asked for in the same turn (a transition reads its task, reservation and worker
 * together) go to Redis as one call: one request where there were several, which spares both processes a round of
 * socket work per read. A lone read goes out as the plain command. Judged by the requests per operation in
 * `bench/redis-commands.ts` and the CPU per lifecycle in `bench/assignment.ts` (docs/performance.md, "Devices in the
 * Redis store").
 */
export class RecordReads {
  /** Reads waiting for the end of this turn, by workspace (a workspace's hashes share one slot). */
  private readonly waiting = new Map<string, Read[]>();

  constructor(
    private readonly redis: RedisClient,
    private readonly scripts: ScriptCommands,
  ) {}

  /** Values of `fields` in `hash`, a hash of workspace `workspaceSid`. */
  read(workspaceSid: string, hash: string, fields: string[]): Promise<Array<string | null>> {
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) queueMicrotask(() => this.flush());
      const reads = this.waiting.get(workspaceSid);
      if (reads) reads.push({ hash, fields, resolve, reject });
      else this.waiting.set(workspaceSid, [{ hash, fields, resolve, reject }]);
    });
  }

  private flush(): void {
    const groups = [...this.waiting.values()];
    this.waiting.clear();
    for (const reads of groups) {
      this.send(reads).then(
        (values) => {
          let at = 0;
          for (const read of reads) {
            read.resolve(values.slice(at, at + read.fields.length));
            at += read.fields.length;
          }
        },
        (err: unknown) => {
          for (const read of reads) read.reject(err);
        },
      );
    }
  }

  private async send(reads: Read[]): Promise<Array<string | null>> {
    if (reads.length === 1) return this.plain(reads[0]!);
    if (reads.reduce((n, r) => n + r.fields.length, 0) > MAX_MERGED_FIELDS) {
      return (await Promise.all(reads.map((read) => this.plain(read)))).flat();
    }
    const byHash = new Map<string, string[]>();
    for (const { hash, fields } of reads) byHash.set(hash, [...(byHash.get(hash) ?? []), ...fields]);
    const args: string[] = [];
    for (const fields of byHash.values()) args.push(String(fields.length), ...fields);
    const values = await this.scripts.readRecords(byHash.size, ...byHash.keys(), ...args);
    // The script answers hash by hash; hand each read its own fields back in the order it asked.
    const found = new Map<string, Array<string | null>>();
    let at = 0;
    for (const [hash, fields] of byHash) {
      found.set(hash, values.slice(at, at + fields.length));
      at += fields.length;
    }
    const taken = new Map<string, number>();
    return reads.flatMap(({ hash, fields }) => {
      const from = taken.get(hash) ?? 0;
      taken.set(hash, from + fields.length);
      return found.get(hash)!.slice(from, from + fields.length);
    });
  }

  private async plain({ hash, fields }: Read): Promise<Array<string | null>> {
    return fields.length === 1 ? [await this.redis.hget(hash, fields[0]!)] : this.redis.hmget(hash, ...fields);
  }
}
