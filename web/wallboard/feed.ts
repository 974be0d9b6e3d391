import type { Api } from '../shared/api.ts';
import { readFigures, type BoardFigures } from './figures.ts';
import { agentFromJson, applyEvent, changesStructure, forgetOldWaits, recordEndedWait, taskFromJson, WAIT_HISTORY_MS, type LiveBoard } from './live-model.ts';
import type { ActivityJson, EventJson, ReservationJson, TaskJson, TaskQueueJson, WorkerJson } from './wire.ts';

/** What the wallboard is signed in to: the REST API with its credentials, the workspace, and a way to open the feed. */
export interface BoardSession {
  api: Api;
  workspaceSid: string;
  /** A token for the workspace's live feed (admin, naming no worker): the sign-in link's own, or a fresh one. */
  feedToken(): Promise<string>;
}

/** The live feed's state, as the page shows it. */
export type FeedState = 'connecting' | 'live' | 'reconnecting' | 'ended';

/** What events change is re-read this long after the last event of a burst, not once per event. */
const SETTLE_MS = 400;
/** Reconnection waits double from the first to the last. */
const RECONNECT_MS = { first: 500, last: 15_000 };

/**
 * The wallboard's data, kept live: a snapshot read from the REST API whenever the workspace's feed (the socket an
 * admin token opens at /v1/wschannels) starts, then every event applied as it arrives, and the statistics re-read
 * when events say something changed. A dropped feed is reopened, and the snapshot read again, since events may have
 * been missed meanwhile. Nothing is read on a timer.
 */
export class BoardFeed {
  board: LiveBoard | null = null;
  figures: BoardFigures | null = null;
  state: FeedState = 'connecting';
  error: string | null = null;
  /** Counts snapshots, so views that read more on their own (a queue's members) know when to read again. */
  snapshots = 0;

  private socket: WebSocket | null = null;
  /** Events that arrive while a snapshot is read, applied once it is. */
  private pending: EventJson[] | null = null;
  private figuresTimer: ReturnType<typeof setTimeout> | undefined;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectMs = RECONNECT_MS.first;
  private stopped = false;
  /** Counts reads of the statistics (alone or with a snapshot), so that only the latest is kept. */
  private figuresRead = 0;

  constructor(
    private readonly session: BoardSession,
    private threshold: number,
    private readonly onChange: () => void,
  ) {}

  start(): void {
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.figuresTimer);
    clearTimeout(this.reloadTimer);
    clearTimeout(this.reconnectTimer);
    this.socket?.close();
  }

  /** A new service level threshold (seconds): the statistics are read again, split there. */
  setThreshold(seconds: number): void {
    if (seconds === this.threshold) return;
    this.threshold = seconds;
    void this.refreshFigures();
  }

  private async connect(): Promise<void> {
    let token: string;
    try {
      token = await this.session.feedToken();
    } catch (err) {
      this.fail(err);
      return;
    }
    if (this.stopped) return;
    const url = new URL('/v1/wschannels', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token);
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onmessage = (message) => this.receive(String(message.data));
    socket.onclose = () => {
      if (this.socket !== socket || this.stopped) return;
      this.socket = null;
      this.setState('reconnecting');
      this.reconnectTimer = setTimeout(() => void this.connect(), this.reconnectMs);
      this.reconnectMs = Math.min(this.reconnectMs * 2, RECONNECT_MS.last);
    };
  }

  private receive(text: string): void {
    // Heartbeats are blank frames.
    if (text.trim() === '') return;
    const frame = JSON.parse(text) as { event_type: string; payload: EventJson };
    if (frame.event_type === 'init') {
      this.reconnectMs = RECONNECT_MS.first;
      void this.reload();
      return;
    }
    const event = frame.payload;
    if (this.pending) {
      this.pending.push(event);
      return;
    }
    if (!this.board) return;
    applyEvent(this.board, event);
    if (changesStructure(event)) this.scheduleReload();
    else this.scheduleFigures();
    this.onChange();
  }

  /** Reads the snapshot; events arriving meanwhile are held and applied on top of it, in order. */
  private async reload(): Promise<void> {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = undefined;
    if (this.pending) return;
    this.pending = [];
    const read = ++this.figuresRead;
    try {
      const [board, snapshotFigures] = await Promise.all([
        readSnapshot(this.session),
        readFigures(this.session.api, this.session.workspaceSid, this.threshold),
      ]);
      const held = this.pending;
      this.pending = null;
      // A read that was under way when the feed stopped (a sign-in that lapsed meanwhile) brings nothing back to life.
      if (this.stopped) return;
      for (const event of held) applyEvent(board, event);
      this.board = board;
      if (read === this.figuresRead) this.figures = snapshotFigures;
      this.snapshots += 1;
      this.error = null;
      this.setState('live');
      // The snapshot may have been read before what they changed.
      if (held.some(changesStructure)) this.scheduleReload();
      else if (held.length > 0) this.scheduleFigures();
    } catch (err) {
      this.pending = null;
      this.fail(err);
      // Reconnecting reads the snapshot again, after a while.
      this.socket?.close();
    }
  }

  /** The snapshot holds the statistics too: a reload due replaces a refresh of the figures. */
  private scheduleReload(): void {
    clearTimeout(this.figuresTimer);
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), SETTLE_MS);
  }

  private scheduleFigures(): void {
    if (this.reloadTimer !== undefined) return;
    clearTimeout(this.figuresTimer);
    this.figuresTimer = setTimeout(() => void this.refreshFigures(), SETTLE_MS);
  }

  private async refreshFigures(): Promise<void> {
    const read = ++this.figuresRead;
    try {
      const figures = await readFigures(this.session.api, this.session.workspaceSid, this.threshold);
      // An earlier read answering late must not stand in for a later one.
      if (read !== this.figuresRead || this.stopped) return;
      this.figures = figures;
      if (this.board) forgetOldWaits(this.board, Date.now());
      this.onChange();
    } catch (err) {
      this.fail(err);
    }
  }

  private setState(state: FeedState): void {
    this.state = state;
    this.onChange();
  }

  private fail(err: unknown): void {
    this.error = (err as Error).message;
    const status = (err as { status?: number }).status;
    // A sign-in that no longer holds (expired link, revoked key) is not going to recover by retrying.
    if (status === 401 || status === 403) {
      this.stopped = true;
      this.socket?.close();
      this.state = 'ended';
    }
    this.onChange();
  }
}

/** Everything the board shows, read from the REST API; the waits that ended in the last 90 minutes from the Events API. */
async function readSnapshot({ api, workspaceSid }: BoardSession): Promise<LiveBoard> {
  const base = `/v1/Workspaces/${workspaceSid}`;
  const [activities, queues, workers, tasks, ended] = await Promise.all([
    api.list<ActivityJson>(`${base}/Activities`, 'activities'),
    api.list<TaskQueueJson>(`${base}/TaskQueues`, 'task_queues'),
    api.list<WorkerJson>(`${base}/Workers`, 'workers'),
    api.list<TaskJson>(`${base}/Tasks`, 'tasks', { AssignmentStatus: 'pending,reserved,assigned,wrapping' }),
    api.list<EventJson>(`${base}/Events`, 'events', { Minutes: WAIT_HISTORY_MS / 60_000, EventType: ['reservation.accepted', 'task.canceled'] }),
  ]);
  const holders = await Promise.all(tasks.map((t) => (t.assignment_status === 'pending' ? Promise.resolve(null) : holderOf(api, base, t.sid))));
  const board: LiveBoard = {
    activities: new Map(activities.map((a) => [a.sid, a])),
    queues: new Map(queues.map((q) => [q.sid, q])),
    agents: new Map(workers.map((w) => [w.sid, agentFromJson(w)])),
    tasks: new Map(tasks.map((t, i) => [t.sid, taskFromJson(t, holders[i] ?? null)])),
    endedWaits: [],
    endedTasks: new Set(),
  };
  // The Events API lists newest first.
  for (const event of ended.reverse()) recordEndedWait(board, event);
  return board;
}

/** The worker holding a task: the one whose reservation was accepted, else the one it is being offered to. */
async function holderOf(api: Api, base: string, taskSid: string): Promise<string | null> {
  const reservations = await api.list<ReservationJson>(`${base}/Tasks/${taskSid}/Reservations`, 'reservations');
  const rank = (r: ReservationJson) => ['accepted', 'wrapping', 'pending'].indexOf(r.reservation_status);
  const held = reservations.filter((r) => rank(r) >= 0).sort((a, b) => rank(a) - rank(b));
  return held[0]?.worker_sid ?? null;
}
