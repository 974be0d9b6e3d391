import { closeSync, existsSync, fdatasync, fdatasyncSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { syncDirectory } from './directory-sync.js';
import { JournalSegments, segmentName } from './segments.js';
import { SnapshotPace } from './snapshot-pace.js';

/** When the journal reaches the disk itself: after every write, or once a second (Redis's `appendfsync everysec`). */
export type JournalSync = 'always' | 'everysec';

export interface JournalOptions {
  sync?: JournalSync;
  /** Once the journal has grown by this many bytes, a new snapshot is due (`compactionDue`). */
  compactAfterBytes?: number;
  /** Told when a snapshot could not be written; the journal keeps everything, and the next snapshot tries again. */
  onSnapshotFailed?: (err: unknown) => void;
}

/** What a data directory held when it was opened: the last snapshot, and the changes journaled after it, in order. */
export interface Recovered<Entry, Snapshot> {
  snapshot: Snapshot | null;
  entries: Entry[];
}

/** Directories this process holds: its own pid in a LOCK may be a previous life's (a container's pid 1), not this one. */
const heldHere = new Set<string>();

const SNAPSHOT = 'snapshot.json';
const LOCK = 'LOCK';
/** A snapshot is written in pieces of about this size, the event loop free between them. */
const SNAPSHOT_WRITE_BYTES = 256 * 1024;

/**
 * An append-only journal of changes in a data directory, as Redis's AOF keeps one. Each change is one JSON line,
 * written to the file before the change is acknowledged: a process that crashes, even by `kill -9`, loses nothing it
 * acknowledged. The operating system takes the line to the disk within a second (`everysec`) or before the write
 * returns (`always`), which bounds what a crash of the whole machine can lose.
 *
 * A snapshot of the whole state bounds what is replayed at start. Routing must not wait while a large state is
 * written, so a snapshot is written as Redis 7 rewrites its multi-part AOF: the journal moves on to a new segment
 * file, the state as it stood is written beside it in pieces between which the event loop runs, and once the
 * snapshot is on the disk under its final name the segments it covers are deleted. Its pieces are paced
 * (snapshot-pace.ts) so that routing keeps most of the event loop meanwhile. Lines carry a sequence number,
 * and the snapshot the last one it holds, so a crash at any step replays nothing twice and loses nothing. One process
 * at a time: a LOCK file naming the live process that holds the directory refuses a second one.
 */
export class Journal<Entry> {
  private seq: number;
  private fd: number;
  private grownBy = 0;
  private snapshotBytes: number;
  private dirty = false;
  private syncing = false;
  private writing: Promise<void> | null = null;
  private readonly syncTimer: NodeJS.Timeout | null;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly segments: JournalSegments,
    seq: number,
    snapshotBytes: number,
    private readonly options: Required<Omit<JournalOptions, 'onSnapshotFailed'>> & Pick<JournalOptions, 'onSnapshotFailed'>,
  ) {
    this.seq = seq;
    this.snapshotBytes = snapshotBytes;
    if (segments.all().length === 0) segments.add(segmentName(seq + 1));
    this.fd = this.openSegment();
    this.syncTimer = options.sync === 'everysec' ? setInterval(() => this.flush(), 1000).unref() : null;
  }

  /** Opens (creating) the data directory `dir`, takes its lock and reads back what it holds. */
  static open<Entry, Snapshot>(dir: string, options: JournalOptions = {}): { journal: Journal<Entry> } & Recovered<Entry, Snapshot> {
    mkdirSync(dir, { recursive: true });
    takeLock(dir);
    const snapshotFile = join(dir, SNAPSHOT);
    const savedText = existsSync(snapshotFile) ? readFileSync(snapshotFile, 'utf8') : null;
    const saved = savedText === null ? null : (JSON.parse(savedText) as { seq: number; state: Snapshot });
    // A snapshot cut short by a crash was never used: its segments are all still there.
    if (existsSync(`${snapshotFile}.tmp`)) unlinkSync(`${snapshotFile}.tmp`);
    const segments = JournalSegments.find(dir);
    const { entries, lastSeq } = segments.read<Entry>(saved?.seq ?? 0);
    const journal = new Journal<Entry>(dir, segments, Math.max(lastSeq, saved?.seq ?? 0), savedText?.length ?? 0, {
      sync: options.sync ?? 'everysec',
      compactAfterBytes: options.compactAfterBytes ?? 64 * 1024 * 1024,
      onSnapshotFailed: options.onSnapshotFailed,
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
   * Whether a new snapshot would pay off: none is being written, and the journal has grown since the last one by
   * `compactAfterBytes` and by as much as the last snapshot weighed (Redis's `auto-aof-rewrite-percentage 100`), so a
   * large state is not written out again and again.
   */
  get compactionDue(): boolean {
    return this.writing === null && !this.closed && this.grownBy >= Math.max(this.options.compactAfterBytes, this.snapshotBytes);
  }

  /**
   * Starts writing a snapshot whose JSON text is `pieces` (everything journaled so far; the pieces must describe the
   * state as it stands now, whatever changes after this call), and moves the journal on to a new segment. The
   * returned promise settles once the snapshot is in place or has failed (failures go to `onSnapshotFailed`).
   */
  compact(pieces: Iterable<string>): Promise<void> {
    if (this.writing) return this.writing;
    const seq = this.seq;
    const covered = this.segments.all();
    this.rotate();
    this.writing = this.writeSnapshot(seq, pieces, covered)
      .catch((err: unknown) => this.options.onSnapshotFailed?.(err))
      .finally(() => (this.writing = null));
    return this.writing;
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

  /** Lets a snapshot being written finish, flushes, closes the journal and lets go of the directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.syncTimer) clearInterval(this.syncTimer);
    await this.writing;
    fdatasyncSync(this.fd);
    closeSync(this.fd);
    unlinkSync(join(this.dir, LOCK));
    heldHere.delete(resolve(this.dir));
  }

  /** The next line goes to a new segment, which starts at the next sequence number. */
  private rotate(): void {
    const previous = this.fd;
    this.segments.add(segmentName(this.seq + 1));
    this.fd = this.openSegment();
    this.grownBy = 0;
    this.dirty = false;
    // The previous segment stays until a snapshot covers it; what it holds must reach the disk like any line.
    fdatasync(previous, () => closeSync(previous));
  }

  private openSegment(): number {
    const fd = openSync(join(this.dir, this.segments.active()), 'a');
    // A segment's name must survive a crash of the machine as its lines do.
    if (this.options.sync === 'always') syncDirectory(this.dir);
    return fd;
  }

  private async writeSnapshot(seq: number, pieces: Iterable<string>, covered: string[]): Promise<void> {
    const snapshotFile = join(this.dir, SNAPSHOT);
    const temporary = `${snapshotFile}.tmp`;
    const file = await open(temporary, 'w');
    let bytes = 0;
    try {
      let pending: string[] = [];
      let pendingBytes = 0;
      const pace = new SnapshotPace();
      const write = async (): Promise<void> => {
        const text = pending.join('');
        pending = [];
        pendingBytes = 0;
        const writing = file.write(text);
        // The pieces' serialisation and the text's encoding were the event loop's; the disk's time is not.
        const worked = pace.stretch();
        await writing;
        bytes += text.length;
        await pace.rest(worked, () => this.closed);
      };
      for (const piece of withSeq(seq, pieces)) {
        pending.push(piece);
        pendingBytes += piece.length;
        if (pendingBytes >= SNAPSHOT_WRITE_BYTES) await write();
      }
      await write();
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, snapshotFile);
    syncDirectory(this.dir);
    this.snapshotBytes = bytes;
    for (const name of covered) {
      this.segments.remove(name);
      await unlink(join(this.dir, name)).catch(() => undefined);
    }
  }
}

/** The snapshot file's text: the state's, read piece by piece as it is written, with the sequence number it holds. */
function* withSeq(seq: number, state: Iterable<string>): Generator<string> {
  yield `{"seq":${seq},"state":`;
  yield* state;
  yield '}';
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
