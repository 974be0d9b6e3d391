import { formatDuration } from '../shared/time.ts';
import { percent, type ServiceLevel } from './figures.ts';
import { Age } from './age.tsx';
import type { QueueRow } from './board-view.ts';

const ESTIMATE_EXPLAINED = 'Tasks waiting divided by the pace at which the queue’s agents accepted tasks over the last 30 minutes';

/** A row per queue: what waits in it, who can take it, and how it has done. */
export function QueueTable(props: { rows: QueueRow[] }) {
  return (
    <section class="card board-section" aria-labelledby="queues-title">
      <h2 id="queues-title">Queues</h2>
      <table aria-labelledby="queues-title">
        <thead>
          <tr>
            <th scope="col">Queue</th>
            <th scope="col" class="num">
              Waiting
            </th>
            <th scope="col" class="num">
              Longest wait
            </th>
            <th scope="col" class="num">
              Agents eligible
            </th>
            <th scope="col" class="num">
              Agents available
            </th>
            <th scope="col" class="num">
              SL 30 min
            </th>
            <th scope="col" class="num">
              SL today
            </th>
            <th scope="col" class="num">
              Abandoned today
            </th>
            <th scope="col" class="num" title={ESTIMATE_EXPLAINED}>
              Est. wait
            </th>
          </tr>
        </thead>
        <tbody>
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
        </tbody>
      </table>
      <p class="muted footnote">Est. wait: {ESTIMATE_EXPLAINED.toLowerCase()}.</p>
    </section>
  );
}

function slText(sl: ServiceLevel): string {
  const value = percent(sl);
  return value === null ? '—' : `${value}%`;
}
