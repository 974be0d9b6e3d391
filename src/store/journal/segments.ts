import { existsSync, ftruncateSync, openSync, closeSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The journal as an earlier release kept it: one file, read as the segment that starts before all others. */
const SINGLE_FILE = 'journal.log';
const SEGMENT = /^journal-(\d{16})\.log$/;

/** The file name of the segment whose first line has sequence number `firstSeq`; names sort as their numbers. */
export function segmentName(firstSeq: number): string {
  return `journal-${String(firstSeq).padStart(16, '0')}.log`;
}

/**
 * The journal's segment files in a data directory, oldest first. Lines are appended to the last one only; the others
 * wait for a snapshot that covers them.
 */
export class JournalSegments {
  private constructor(
    private readonly dir: string,
    private readonly names: string[],
  ) {}

  static find(dir: string): JournalSegments {
    const names = readdirSync(dir).filter((name) => SEGMENT.test(name));
    names.sort();
    if (existsSync(join(dir, SINGLE_FILE))) names.unshift(SINGLE_FILE);
    return new JournalSegments(dir, names);
  }

  /** The segment appended to (once there is one). */
  active(): string {
    return this.names[this.names.length - 1]!;
  }

  all(): string[] {
    return [...this.names];
  }

  add(name: string): void {
    this.names.push(name);
  }

  remove(name: string): void {
    const at = this.names.indexOf(name);
    if (at >= 0) this.names.splice(at, 1);
  }

  /**
   * The complete lines after `afterSeq`, across the segments in order, and the last sequence number seen. A line cut
   * short by a crash was never acknowledged: it is cut off, so the next line starts clean.
   */
  read<Entry>(afterSeq: number): { entries: Entry[]; lastSeq: number } {
    const entries: Entry[] = [];
    let lastSeq = 0;
    for (const name of this.names) {
      const file = join(this.dir, name);
      if (!existsSync(file)) continue;
      const text = readFileSync(file, 'utf8');
      const end = text.lastIndexOf('\n') + 1;
      let lineNo = 0;
      for (const line of text.slice(0, end).split('\n')) {
        lineNo += 1;
        if (line === '') continue;
        let parsed: [number, Entry];
        try {
          parsed = JSON.parse(line) as [number, Entry];
        } catch {
          throw new Error(`${file} line ${lineNo} is not a journal entry: the data directory is damaged`);
        }
        lastSeq = parsed[0];
        if (parsed[0] > afterSeq) entries.push(parsed[1]);
      }
      if (end < text.length) cutAt(file, Buffer.byteLength(text.slice(0, end)));
    }
    return { entries, lastSeq };
  }
}

function cutAt(file: string, bytes: number): void {
  const fd = openSync(file, 'r+');
  try {
    ftruncateSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}
