import { isWaiting, type EndedWait, type LiveBoard } from './live-model.ts';

/** The chart's span, and how far apart its points are. */
export const HISTORY_SPAN_MS = 60 * 60_000;
const STEP_MS = 30_000;
/** Each point's service level looks back over this long, as the tiles' does. */
const SERVICE_LEVEL_WINDOW_MS = 30 * 60_000;

/** The chart's data as uPlot takes it: times (epoch seconds), tasks waiting, service level % (null: no wait ended). */
export type HistorySeries = [number[], number[], Array<number | null>];

/** A wait as an interval: from the task's creation until it was accepted or canceled (or now, still waiting). */
interface WaitSpan {
  from: number;
  to: number;
}

/**
 * Tasks waiting and service level over the last hour, every 30 s, rebuilt from the waits the board knows: those that
 * ended (from the Events API on load, then the live feed) and those still going on.
 */
export function historySeries(board: LiveBoard, thresholdSeconds: number, now: number): HistorySeries {
  const spans: WaitSpan[] = board.endedWaits.map((w) => ({ from: w.createdAt, to: w.endedAt }));
  for (const task of board.tasks.values()) if (isWaiting(task)) spans.push({ from: task.createdAt, to: Infinity });
  const times: number[] = [];
  const waiting: number[] = [];
  const levels: Array<number | null> = [];
  for (let t = now - HISTORY_SPAN_MS; t <= now; t += STEP_MS) {
    times.push(t / 1000);
    waiting.push(spans.filter((s) => s.from <= t && t < s.to).length);
    levels.push(serviceLevelAt(board.endedWaits, t, thresholdSeconds));
  }
  return [times, waiting, levels];
}

function serviceLevelAt(waits: readonly EndedWait[], t: number, thresholdSeconds: number): number | null {
  let ended = 0;
  let within = 0;
  for (const w of waits) {
    if (w.endedAt > t || w.endedAt <= t - SERVICE_LEVEL_WINDOW_MS) continue;
    ended += 1;
    if (w.outcome === 'accepted' && w.waitSeconds <= thresholdSeconds) within += 1;
  }
  return ended === 0 ? null : Math.round((100 * within) / ended);
}
