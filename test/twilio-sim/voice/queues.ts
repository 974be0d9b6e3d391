import { newSid } from '../core/ids.js';
import { deferred, type Deferred } from '../core/scope.js';
import type { HttpMethod } from '../core/types.js';
import type { VirtualClock } from '../core/clock.js';
import type { Bridge } from './bridge.js';
import type { SimCall } from './call.js';

/** Twilio's default when `<Enqueue>` creates a queue. */
export const DEFAULT_MAX_QUEUE_SIZE = 1000;

/** How a waiting member is taken out of its queue by someone else. */
export type MemberTake =
  /** `POST …/Queues/{QU}/Members/{CA|Front}.json` with `Url`/`Method`. */
  | { kind: 'rest'; url: string; method: HttpMethod }
  /** `<Dial><Queue>` from another call; the member answers `bridge` once it is ready (null if it could not). */
  | { kind: 'dial'; dequeuer: SimCall; url: string | null; method: HttpMethod; bridge: Deferred<Bridge | null> };

/** A call waiting in a queue. */
export class QueueMember {
  readonly taken: Deferred<MemberTake> = deferred<MemberTake>();
  /** Set synchronously when the member is taken, so cleanup can see it even before the promise settles. */
  take: MemberTake | null = null;

  constructor(
    readonly queue: SimQueue,
    readonly call: SimCall,
    readonly enqueuedAt: number,
  ) {}

  /** Hands the member its dequeue instruction (first one wins). */
  dequeue(take: MemberTake): void {
    if (this.take) return;
    this.take = take;
    this.taken.resolve(take);
  }
}

/** A named call queue (`QU…`). */
export class SimQueue {
  readonly sid = newSid('QU');
  readonly members: QueueMember[] = [];
  readonly dateCreated: number;
  dateUpdated: number;
  private readonly joinWaiters = new Set<() => void>();

  constructor(
    private readonly clock: VirtualClock,
    public friendlyName: string,
    public maxSize: number,
  ) {
    this.dateCreated = clock.now();
    this.dateUpdated = this.dateCreated;
  }

  get currentSize(): number {
    return this.members.length;
  }

  /** Average seconds the current members have waited, as the Queue resource reports it. */
  averageWaitSeconds(): number {
    if (!this.members.length) return 0;
    const now = this.clock.now();
    const total = this.members.reduce((sum, m) => sum + (now - m.enqueuedAt), 0);
    return Math.round(total / this.members.length / 1000);
  }

  /** 1-based position, or 0 if the member has left. */
  position(member: QueueMember): number {
    return this.members.indexOf(member) + 1;
  }

  /** Adds the call at the back; null when the queue is full. */
  add(call: SimCall): QueueMember | null {
    if (this.members.length >= this.maxSize) return null;
    const member = new QueueMember(this, call, this.clock.now());
    this.members.push(member);
    this.dateUpdated = this.clock.now();
    for (const w of [...this.joinWaiters]) w();
    return member;
  }

  remove(member: QueueMember): void {
    const i = this.members.indexOf(member);
    if (i < 0) return;
    this.members.splice(i, 1);
    this.dateUpdated = this.clock.now();
  }

  memberFor(callSid: string): QueueMember | undefined {
    return this.members.find((m) => m.call.sid === callSid);
  }

  /** Resolves when someone joins; `cancel` stops listening. */
  nextJoin(): { joined: Promise<void>; cancel(): void } {
    let waiter!: () => void;
    const joined = new Promise<void>((resolve) => {
      waiter = () => {
        this.joinWaiters.delete(waiter);
        resolve();
      };
      this.joinWaiters.add(waiter);
    });
    return { joined, cancel: () => this.joinWaiters.delete(waiter) };
  }

  /** Seconds a member has waited so far. */
  waitSeconds(member: QueueMember): number {
    return Math.round((this.clock.now() - member.enqueuedAt) / 1000);
  }
}

/** The account's queues, by SID and by friendly name. */
export class QueueStore {
  private readonly bySid = new Map<string, SimQueue>();

  constructor(private readonly clock: VirtualClock) {}

  all(): SimQueue[] {
    return [...this.bySid.values()];
  }

  get(sid: string): SimQueue | undefined {
    return this.bySid.get(sid);
  }

  byName(name: string): SimQueue | undefined {
    return this.all().find((q) => q.friendlyName === name);
  }

  create(friendlyName: string, maxSize = DEFAULT_MAX_QUEUE_SIZE): SimQueue {
    const queue = new SimQueue(this.clock, friendlyName, maxSize);
    this.bySid.set(queue.sid, queue);
    return queue;
  }

  /** What `<Enqueue>` does: the named queue, created on first use. */
  getOrCreate(name: string, maxSize?: number): SimQueue {
    return this.byName(name) ?? this.create(name, maxSize ?? DEFAULT_MAX_QUEUE_SIZE);
  }

  delete(sid: string): boolean {
    return this.bySid.delete(sid);
  }
}
