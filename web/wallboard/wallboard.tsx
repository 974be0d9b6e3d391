import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Credentials } from '../shared/credentials.ts';
import { Notice, useNow } from '../shared/ui.tsx';
import { endTask, setAgentActivity } from './actions.ts';
import { AgentTable } from './agent-table.tsx';
import { agentRows, queueRows, tiles, waitingTasks, type BoardFilter } from './board-view.ts';
import { EndTaskDialog, type TaskToEnd } from './end-task-dialog.tsx';
import type { BoardSession } from './feed.ts';
import { HistoryChart } from './history-chart.tsx';
import { historySeries } from './history.ts';
import { QueueTable } from './queue-table.tsx';
import { TileRow } from './tiles.tsx';
import { FeedStatus, Toolbar } from './toolbar.tsx';
import { useFeed } from './use-feed.ts';
import { useQueueMembers } from './use-queue-members.ts';
import { WaitingTable } from './waiting-table.tsx';

/** Tasks accepted within this many seconds count towards the service level, unless the supervisor says otherwise. */
const DEFAULT_THRESHOLD_SECONDS = 20;
/** The chart moves on every 15 s; the ages and clocks every second. */
const CHART_TICK_MS = 15_000;

/** The supervisor wallboard of one workspace, live from its event feed. */
export function Wallboard(props: { session: BoardSession; credentials: Credentials }) {
  const { session } = props;
  const [thresholdSeconds, setThreshold] = useState(DEFAULT_THRESHOLD_SECONDS);
  const [queueSid, setQueueSid] = useState<string | null>(null);
  const [activitySid, setActivitySid] = useState<string | null>(null);
  const [toEnd, setToEnd] = useState<TaskToEnd | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const feed = useFeed(session, thresholdSeconds);
  const now = useNow();
  const chartNow = useNow(CHART_TICK_MS);
  const queueMembers = useQueueMembers(session, queueSid, feed.snapshots);
  const board = feed.board;
  const series = useMemo(() => (board ? historySeries(board, thresholdSeconds, Date.now()) : null), [board, feed.figures, thresholdSeconds, chartNow]);

  // A queue or activity that disappears takes its filter with it.
  useEffect(() => {
    if (queueSid && board && !board.queues.has(queueSid)) setQueueSid(null);
    if (activitySid && board && !board.activities.has(activitySid)) setActivitySid(null);
  }, [board, feed.snapshots]);

  async function act(action: () => Promise<void>) {
    setBusy(true);
    setActionError(null);
    try {
      await action();
      return true;
    } catch (err) {
      setActionError((err as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  }

  if (!board) {
    return (
      <main class="wallboard">
        <FeedStatus state={feed.state} />
        {feed.error ? <Notice>{feed.error}</Notice> : <Notice kind="info">Loading the wallboard…</Notice>}
      </main>
    );
  }
  const filter: BoardFilter = { queueSid, activitySid, queueMembers };
  const activities = [...board.activities.values()].sort((a, b) => a.friendly_name.localeCompare(b.friendly_name));
  const queues = [...board.queues.values()].sort((a, b) => a.friendly_name.localeCompare(b.friendly_name));
  return (
    <main class="wallboard">
      <h1 class="visually-hidden">Wallboard</h1>
      <Toolbar
        queues={queues}
        activities={activities}
        queueSid={queueSid}
        activitySid={activitySid}
        thresholdSeconds={thresholdSeconds}
        feed={feed.state}
        onQueue={setQueueSid}
        onActivity={setActivitySid}
        onThreshold={setThreshold}
      />
      {feed.error && <Notice>{feed.error}</Notice>}
      {actionError && <Notice>{actionError}</Notice>}
      <TileRow tiles={tiles(board, feed.figures, filter, now)} thresholdSeconds={thresholdSeconds} />
      <p class="muted footnote">
        Service level: tasks accepted within {thresholdSeconds} s, out of the tasks whose wait ended (accepted, or canceled before anyone accepted them —
        abandoned) in the window. Today starts at local midnight.
      </p>
      <QueueTable rows={queueRows(board, feed.figures, filter, now)} />
      <div class="board-columns">
        <AgentTable
          rows={agentRows(board, filter)}
          activities={activities}
          queues={board.queues}
          now={now}
          credentials={props.credentials}
          workspaceSid={session.workspaceSid}
          onSetActivity={(workerSid, sid) => void act(() => setAgentActivity(session.api, session.workspaceSid, workerSid, sid))}
          onEndTask={(task, ending) => setToEnd({ task, ending })}
        />
        <div class="board-side">
          {series && <HistoryChart series={series} thresholdSeconds={thresholdSeconds} />}
          <WaitingTable
            tasks={waitingTasks(board, filter)}
            queues={board.queues}
            agents={board.agents}
            now={now}
            onCancel={(task) => setToEnd({ task, ending: 'canceled' })}
          />
        </div>
      </div>
      {toEnd && (
        <EndTaskDialog
          target={toEnd}
          busy={busy}
          onClose={() => setToEnd(null)}
          onConfirm={(reason) => void act(() => endTask(session.api, session.workspaceSid, toEnd.task.sid, toEnd.ending, reason)).then(() => setToEnd(null))}
        />
      )}
    </main>
  );
}
