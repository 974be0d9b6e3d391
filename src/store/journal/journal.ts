import {
  closeSync,
  existsSync,
  fdatasync,
  fdatasyncSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';

/** When the journal reaches the disk itself: after every write, or once a second (Redis's `appendfsync everysec`). */
export type JournalSync = 'always' | 'everysec';

export interface JournalOptions {
  sync?: JournalSync;
  /** Once the journal has grown by this many bytes, the next `compactIfDue` writes a snapshot and starts it again. */
  compactAfterBytes?: number;
}

/** What a data directory held when it was opened: the last snapshot, and the changes journaled after it, in order. */
export interface Recovered<Entry, Snapshot> {
  snapshot: Snapshot | null;
  entries: Entry[];
}

/** Directories this process holds: its own pid in a LOCK may be a previous life's (a container's pid 1), not this one. */
const heldHere = new Set<string>();

const JOURNAL = 'journal.log';
const SNAPSHOT = 'snapshot.json';
const LOCK = 'LOCK';

/**
 * An append-only journal of changes in a data directory, as Redis's AOF keeps one. Each change is one JSON line,
 * written to the file before the change is acknowledged: a process that crashes, even by `kill -9`, loses nothing it
 * acknowledged. The operating system takes the line to the disk within a second (`everysec`) or before the write
 * returns (`always`), which bounds what a crash of the whole machine can lose. A snapshot of the whole state bounds
 * what is replayed at start: once the journal has grown past `compactAfterBytes`, `compactIfDue` writes the state to
 * a temporary file, renames it over the snapshot, and empties the journal. Lines carry a sequence number, and the
 * snapshot the last one it holds, so a crash between the two steps replays nothing twice. One process at a time:
 * a LOCK file naming the live process that holds the directory refuses a second one.
 */
export class Journal<Entry, Snapshot> {
  private seq: number;
  private grownBy = 0;
  private snapshotBytes: number;
  private dirty = false;
  private syncing = false;
  private readonly syncTimer: NodeJS.Timeout | null;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly fd: number,
    seq: number,
    snapshotBytes: number,
    private readonly options: Required<JournalOptions>,
  ) {
    this.seq = seq;
    this.snapshotBytes = snapshotBytes;
    this.syncTimer = options.sync === 'everysec' ? setInterval(() => this.flush(), 1000).unref() : null;
  }

  /** Opens (creating) the data directory `dir`, takes its lock and reads back what it holds. */
  static open<Entry, Snapshot>(dir: string, options: JournalOptions = {}): { journal: Journal<Entry, Snapshot> } & Recovered<Entry, Snapshot> {
    mkdirSync(dir, { recursive: true });
    takeLock(dir);
    const snapshotFile = join(dir, SNAPSHOT);
    const savedText = existsSync(snapshotFile) ? readFileSync(snapshotFile, 'utf8') : null;
    const saved = savedText === null ? null : (JSON.parse(savedText) as { seq: number; state: Snapshot });
    const journalFile = join(dir, JOURNAL);
    const { entries, lastSeq, validBytes } = readJournal<Entry>(journalFile, saved?.seq ?? 0);
    const fd = openSync(journalFile, 'a');
    // A line cut short by a crash was never acknowledged: drop it, so the next line starts clean.
    ftruncateSync(fd, validBytes);
    const journal = new Journal<Entry, Snapshot>(dir, fd, Math.max(lastSeq, saved?.seq ?? 0), savedText?.length ?? 0, {
      sync: options.sync ?? 'everysec',
      compactAfterBytes: options.compactAfterBytes ?? 64 * 1024 * 1024,
    });
    return { journal, snapshot: saved?.state ?? null, entries };
  }

  /** Writes `entry` to the journal (and with `always`, to the disk) before returning. */
  append(entry: Entry): void {
    this.seq += 1;
    const line = JSON.stringify([this.seq, entry]) + '\n';
    writeSync(this.fd, line);
    this.grownBy += line.length;
    if (this.options.sync === 'always') fdatasyncSync(this.fd);
    else this.dirty = true;
  }

  /**
   * Whether the journal has grown enough since the last snapshot for a new one to pay off: by `compactAfterBytes`,
   * and by as much as the last snapshot weighed (Redis's `auto-aof-rewrite-percentage 100`), so a large state is not
   * written out again and again.
   */
  get compactionDue(): boolean {
    return this.grownBy >= Math.max(this.options.compactAfterBytes, this.snapshotBytes);
  }

  /** Writes `state` (everything the journal has recorded so far) as the snapshot, and empties the journal. */
  compact(state: Snapshot): void {
    const snapshotFile = join(this.dir, SNAPSHOT);
    const temporary = `${snapshotFile}.tmp`;
    const text = JSON.stringify({ seq: this.seq, state });
    writeFileSync(temporary, text);
    this.snapshotBytes = text.length;
    const tmpFd = openSync(temporary, 'r+');
    fsyncSync(tmpFd);
    closeSync(tmpFd);
    renameSync(temporary, snapshotFile);
    syncDirectory(this.dir);
    ftruncateSync(this.fd, 0);
    fdatasyncSync(this.fd);
    this.grownBy = 0;
    this.dirty = false;
  }

  /**
   * Takes what was written to the disk, off the event loop (the once-a-second sync must not stall routing while the
   * disk catches up); one sync at a time.
   */
  flush(): void {
    if (!this.dirty || this.closed || this.syncing) return;
    this.dirty = false;
    this.syncing = true;
    fdatasync(this.fd, () => (this.syncing = false));
  }

  /** Flushes, closes the journal and lets go of the directory. */
  close(): void {
    if (this.closed) return;
    fdatasyncSync(this.fd);
    this.closed = true;
    if (this.syncTimer) clearInterval(this.syncTimer);
    closeSync(this.fd);
    unlinkSync(join(this.dir, LOCK));
    heldHere.delete(resolve(this.dir));
  }
}

/** The journal's complete lines after `afterSeq`, the last sequence number, and where the last complete line ends. */
function readJournal<Entry>(file: string, afterSeq: number): { entries: Entry[]; lastSeq: number; validBytes: number } {
  if (!existsSync(file)) return { entries: [], lastSeq: 0, validBytes: 0 };
  const text = readFileSync(file, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  const entries: Entry[] = [];
  let lastSeq = 0;
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
  return { entries, lastSeq, validBytes: Buffer.byteLength(text.slice(0, end)) };
}

/** Takes the directory's LOCK, or throws when a live process holds it (a dead one's lock is taken over). */
function takeLock(dir: string): void {
  if (heldHere.has(resolve(dir))) throw new Error(`the data directory ${dir} is already open in this process`);
  const lock = join(dir, LOCK);
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    if (Number.isInteger(pid) && pid !== process.pid && processIsAlive(pid)) {
      throw new Error(`the data directory ${dir} is in use by process ${pid}: one process at a time can use the embedded store`);
    }
  }
  writeFileSync(lock, `${process.pid}\n`);
  heldHere.add(resolve(dir));
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Makes a rename in `dir` durable: the directory's own entry list is synced. */
function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
