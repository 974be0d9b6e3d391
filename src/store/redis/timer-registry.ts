import type { RedisClient } from './connection.js';
import type { DueTimer } from '../routing-store.js';
import { timerDue } from './commit-args.js';
import type { KeySpace } from './keys.js';
import type { ScriptCommands } from './scripts.js';

/** Registry entries looked at per round when searching for due timers or the earliest one. */
const PAGE = 16;
/** Rounds `nextDue` spends settling drifted entries before answering with a conservative (early) time. */
const NEXT_DUE_ROUNDS = 8;
/** Workspaces whose earliest timer is remembered (see `mayComeFirst`). */
const MAX_HINTS = 10_000;

/**
 * Finds timers across workspaces. Each workspace keeps its timers in its own slot; the registry (one zset outside
 * every workspace's slot) scores each workspace at or before its earliest timer, so due timers are found without
 * visiting every workspace. Scripts cannot touch the registry and a workspace together (two slots), so the
 * registry is a hint kept safe by ordering:
 *
 * - a commit whose timer comes before every timer the workspace holds lowers the workspace's score (ZADD LT) before
 *   and again after it applies: before, so a process dying right after its commit leaves the timer findable; after,
 *   to undo a settle that raised the score between the two. The commit script refuses such a timer unless it was
 *   announced; a timer at or after one the workspace holds is covered by that one's score and needs neither;
 * - raising a score (after claiming, or when timers were cleared) reads the workspace's earliest timer again
 *   after the write and lowers it back if a commit slipped in.
 *
 * A score may therefore run early (cleared timers), which costs a visit and is settled then, but not late — save for
 * a process dying between its commit and the second lowering while another settles that same workspace.
 */
export class TimerRegistry {
  /** Re-announcements waiting for the next turn of the event loop: workspace → earliest due. */
  private readonly later = new Map<string, number>();
  /** Each workspace's earliest timer as its last commit here left it: a hint, to announce before the script asks. */
  private readonly earliestSeen = new Map<string, number>();

  constructor(
    private readonly redis: RedisClient,
    private readonly scripts: ScriptCommands,
    private readonly keys: KeySpace,
  ) {}

  /** Makes sure the workspace is looked at by `due`. */
  async announce(workspaceSid: string, due: number): Promise<void> {
    await this.redis.zadd(this.keys.timerWorkspaces, 'LT', timerDue(due), workspaceSid);
  }

  /**
   * The announcement after a commit (see above), not awaited. Those made within one turn of the event loop go out as
   * one ZADD, each workspace at its earliest due: under load that is one command where there were dozens.
   */
  announceSoon(workspaceSid: string, due: number): void {
    if (this.later.size === 0) setImmediate(() => this.flushLater());
    this.later.set(workspaceSid, Math.min(due, this.later.get(workspaceSid) ?? Infinity));
  }

  private flushLater(): void {
    const pairs = [...this.later].flatMap(([workspaceSid, due]) => [timerDue(due), workspaceSid]);
    this.later.clear();
    // A failure leaves the narrow gap described above; Redis being down is reported by the commands that wait.
    this.redis.zadd(this.keys.timerWorkspaces, 'LT', ...pairs).catch(() => {});
  }

  /**
   * Whether a timer due then may come before every timer the workspace holds, so the commit setting it should
   * announce it ahead. A wrong guess either way is safe: an announcement too many, or a commit the script refuses
   * (then announced and sent again).
   */
  mayComeFirst(workspaceSid: string, due: number): boolean {
    const seen = this.earliestSeen.get(workspaceSid);
    return seen === undefined || due < seen;
  }

  /** Records the workspace's earliest timer as a commit reported it. */
  heldEarliest(workspaceSid: string, due: number): void {
    this.earliestSeen.delete(workspaceSid);
    this.earliestSeen.set(workspaceSid, due);
    // A hint per recently active workspace is enough; the oldest make room.
    if (this.earliestSeen.size > MAX_HINTS) this.earliestSeen.delete(this.earliestSeen.keys().next().value!);
  }

  async forget(workspaceSid: string): Promise<void> {
    this.earliestSeen.delete(workspaceSid);
    await this.redis.zrem(this.keys.timerWorkspaces, workspaceSid);
  }

  /**
   * Claims the `limit` earliest due timers across workspaces (ties by workspace, then id — the memory store's
   * order). Workspaces are peeked in score order until no further one could hold an earlier timer; each then
   * claims atomically in its own slot, so two processes never both claim a timer within one lease.
   */
  async claimDue(now: number, limit: number, leaseMs: number): Promise<DueTimer[]> {
    if (limit <= 0) return [];
    const chosen: DueTimer[] = [];
    const empty: string[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = scored(await this.redis.zrangebyscore(this.keys.timerWorkspaces, '-inf', now, 'WITHSCORES', 'LIMIT', offset, PAGE));
      const cutoff = chosen.length >= limit ? chosen[limit - 1]!.due : Infinity;
      const visit = page.filter((entry) => entry.score <= cutoff);
      const peeked = await Promise.all(
        visit.map(({ member }) => this.redis.zrangebyscore(this.keys.workspace(member).timers, '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit)),
      );
      visit.forEach(({ member: workspaceSid }, i) => {
        const due = scored(peeked[i]!);
        if (due.length === 0) empty.push(workspaceSid);
        for (const { member: id, score } of due) chosen.push({ workspaceSid, id, due: score });
      });
      chosen.sort(compareTimers);
      chosen.length = Math.min(chosen.length, limit);
      if (page.length < PAGE || visit.length < page.length) break;
    }

    const perWorkspace = new Map<string, number>();
    for (const t of chosen) perWorkspace.set(t.workspaceSid, (perWorkspace.get(t.workspaceSid) ?? 0) + 1);
    const leasedDue = timerDue(now + leaseMs);
    const claimed = await Promise.all(
      [...perWorkspace].map(async ([workspaceSid, count]) => {
        const [pairs, earliest] = await this.scripts.claimTimers(this.keys.workspace(workspaceSid).timers, String(now), leasedDue, String(count));
        await this.settle(workspaceSid, earliest === null ? null : Number(earliest));
        return scored(pairs).map(({ member: id, score: due }) => ({ workspaceSid, id, due }));
      }),
    );
    await Promise.all(empty.map(async (workspaceSid) => this.settle(workspaceSid, await this.earliest(workspaceSid))));
    return claimed.flat().sort(compareTimers);
  }

  /** Due time of the earliest timer of any workspace, settling early scores met on the way. */
  async nextDue(): Promise<number | null> {
    let head: Array<{ member: string; score: number }> = [];
    for (let round = 0; round < NEXT_DUE_ROUNDS; round++) {
      head = scored(await this.redis.zrange(this.keys.timerWorkspaces, 0, PAGE, 'WITHSCORES'));
      if (head.length === 0) return null;
      const looked = head.slice(0, PAGE);
      const actual = await Promise.all(looked.map(({ member }) => this.earliest(member)));
      await Promise.all(looked.map(({ member, score }, i) => (actual[i] === score ? Promise.resolve() : this.settle(member, actual[i]!))));
      const present = actual.filter((due): due is number => due !== null);
      const rest = head[PAGE];
      // Every workspace not looked at has its earliest timer at or after its score, hence after `rest.score`.
      if (present.length > 0 && (rest === undefined || Math.min(...present) <= rest.score)) return Math.min(...present);
      if (present.length === 0 && rest === undefined) return null;
    }
    return head[0]!.score;
  }

  /** Sets the workspace's score to its earliest timer as last read (`null`: none), then guards the raise. */
  private async settle(workspaceSid: string, earliest: number | null): Promise<void> {
    if (earliest === null) await this.redis.zrem(this.keys.timerWorkspaces, workspaceSid);
    else await this.redis.zadd(this.keys.timerWorkspaces, earliest, workspaceSid);
    // A commit that announced an earlier timer before the write above is seen here and announced again.
    const current = await this.earliest(workspaceSid);
    if (current !== null && (earliest === null || current < earliest)) await this.announce(workspaceSid, current);
  }

  private async earliest(workspaceSid: string): Promise<number | null> {
    const [, score] = await this.redis.zrange(this.keys.workspace(workspaceSid).timers, 0, 0, 'WITHSCORES');
    return score === undefined ? null : Number(score);
  }
}

/** Pairs of a WITHSCORES reply. */
function scored(reply: string[]): Array<{ member: string; score: number }> {
  const pairs: Array<{ member: string; score: number }> = [];
  for (let i = 0; i + 1 < reply.length; i += 2) pairs.push({ member: reply[i]!, score: Number(reply[i + 1]) });
  return pairs;
}

function compareTimers(a: DueTimer, b: DueTimer): number {
  if (a.due !== b.due) return a.due - b.due;
  if (a.workspaceSid !== b.workspaceSid) return a.workspaceSid < b.workspaceSid ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
