/**
 * What the server's journal did during a window of the push benchmark, read from its data directory: how many bytes
 * of journal were written, and whether a snapshot of the state was written (its file's modification time). A
 * snapshot of a 10,000-worker workspace is tens of MB of JSON, serialised on the server's event loop
 * (src/store/journal/snapshot-pieces.ts): a run whose window holds one is not the same run as one whose window does
 * not (docs/performance-push.md, "Why runs vary").
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface JournalReading {
  journalBytes: number;
  snapshotMtimeMs: number | null;
  /** A snapshot is being written (its temporary file is there). */
  snapshotBeingWritten: boolean;
}

function read(dir: string): JournalReading {
  let journalBytes = 0;
  let snapshotMtimeMs: number | null = null;
  let snapshotBeingWritten = false;
  for (const name of readdirSync(dir)) {
    if (/^journal.*\.log$/.test(name)) journalBytes += statSync(join(dir, name), { throwIfNoEntry: false })?.size ?? 0;
    if (name === 'snapshot.json') snapshotMtimeMs = statSync(join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? null;
    if (name === 'snapshot.json.tmp') snapshotBeingWritten = true;
  }
  return { journalBytes, snapshotMtimeMs, snapshotBeingWritten };
}

/** Opened at the window's start, closed at its end. Segments deleted by a snapshot meanwhile are not counted. */
export class JournalWindow {
  private readonly start: JournalReading;
  private readonly startedAt = Date.now();

  constructor(private readonly dir: string) {
    this.start = read(dir);
  }

  /**
   * Bytes the journal grew by (null when a snapshot deleted segments), the snapshot finished in the window (seconds
   * into it), and whether one was being written as the window opened or closed.
   */
  close(): JournalWindowResult {
    const end = read(this.dir);
    const snapshotWritten = end.snapshotMtimeMs !== null && end.snapshotMtimeMs !== this.start.snapshotMtimeMs;
    const grewBy = end.journalBytes >= this.start.journalBytes && !snapshotWritten ? end.journalBytes - this.start.journalBytes : null;
    return {
      grewBy,
      snapshotAtSeconds: snapshotWritten ? (end.snapshotMtimeMs! - this.startedAt) / 1000 : null,
      snapshotAtOpen: this.start.snapshotBeingWritten,
      snapshotAtClose: end.snapshotBeingWritten,
    };
  }
}

export interface JournalWindowResult {
  grewBy: number | null;
  snapshotAtSeconds: number | null;
  snapshotAtOpen: boolean;
  snapshotAtClose: boolean;
}

/** One line for the benchmark's output. */
export function describeJournalWindow(r: JournalWindowResult): string {
  const grew = r.grewBy === null ? 'n/a (a snapshot deleted segments)' : `${(r.grewBy / 1024 / 1024).toFixed(1)} MB`;
  const snapshot = [
    r.snapshotAtOpen ? 'one being written as the window opened' : null,
    r.snapshotAtSeconds !== null ? `one finished ${r.snapshotAtSeconds.toFixed(1)} s into the window` : null,
    r.snapshotAtClose ? 'one still being written as it closed' : null,
  ].filter(Boolean);
  return `journal in the window: ${grew} written; snapshot: ${snapshot.length > 0 ? snapshot.join(', ') : 'none'}`;
}
