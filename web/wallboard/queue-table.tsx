import { formatDuration } from '../shared/time.ts';
import { percent, type ServiceLevel } from './figures.ts';
import { Age } from './age.tsx';
import { BoardTable, type Column } from './board-table.tsx';
import type { QueueRow } from './board-view.ts';

const ESTIMATE_EXPLAINED = 'Tasks waiting divided by the pace at which the queue’s agents accepted tasks over the last 30 minutes';

const COLUMNS: Column[] = [
  { label: 'Queue' },
  ...['Waiting', 'Longest wait', 'Agents eligible', 'Agents available', 'SL 30 min', 'SL today', 'Abandoned today'].map((label) => ({ label, numeric: true })),
  { label: 'Est. wait', numeric: true, title: ESTIMATE_EXPLAINED },
];

/** A row per queue: what waits in it, who can take it, and how it has done. */
export function QueueTable(props: { rows: QueueRow[] }) {
  return (
    <BoardTable id="queues" title="Queues" columns={COLUMNS} footnote={<p class="muted footnote">Est. wait: {ESTIMATE_EXPLAINED.toLowerCase()}.</p>}>
      {props.rows.map((row) => (
        <tr key={row.sid}>
          <th scope="row">{row.name}</th>
          <td class="num">{row.waiting}</td>
          <td class="num">{row.longestWait === null ? '—' : <Age seconds={row.longestWait} />}</td>
          <td class="num">{row.figures?.eligible ?? '—'}</td>
          <td class="num">{row.figures?.available ?? '—'}</td>
          <td class="num">{row.figures ? slText(row.figures.last30.serviceLevel) : '—'}</td>
          <td class="num">{row.figures ? slText(row.figures.today.serviceLevel) : '—'}</td>
          <td class="num">{row.figures?.today.abandoned ?? '—'}</td>
          <td class="num" title={ESTIMATE_EXPLAINED}>
            {row.estimatedWait === null ? '—' : formatDuration(row.estimatedWait)}
          </td>
        </tr>
      ))}
    </BoardTable>
  );
}

function slText(sl: ServiceLevel): string {
  const value = percent(sl);
  return value === null ? '—' : `${value}%`;
}
