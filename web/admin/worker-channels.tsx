import { useState } from 'preact/hooks';
import type { Api } from '../shared/api.ts';
import { Notice } from '../shared/ui.tsx';
import { RecordTable } from './record-table.tsx';
import type { Worker, WorkerChannel } from './records.ts';
import { useAction, useLoaded } from './resource-hooks.ts';

/** A worker's channels: how many tasks of each channel they take at once, and whether the channel is on. */
export function WorkerChannels(props: { api: Api; path: string; worker: Worker }) {
  const channels = useLoaded<WorkerChannel>(() => props.api.list<WorkerChannel>(props.path, 'channels'), props.path);
  return (
    <div class="worker-channels">
      <h3 id="channels-title">Channels of {props.worker.friendly_name}</h3>
      {channels.error && <Notice>{channels.error}</Notice>}
      <RecordTable labelledBy="channels-title" columns={['Channel', 'Capacity', 'On']} empty={channels.items?.length === 0}>
        {channels.items?.map((c) => (
          <ChannelRow key={c.sid} api={props.api} path={`${props.path}/${c.sid}`} channel={c} onSaved={channels.reload} />
        ))}
      </RecordTable>
    </div>
  );
}

function ChannelRow(props: { api: Api; path: string; channel: WorkerChannel; onSaved: () => void }) {
  const c = props.channel;
  const [capacity, setCapacity] = useState(String(c.configured_capacity));
  const [available, setAvailable] = useState(c.available);
  const action = useAction();
  const name = c.task_channel_unique_name;
  return (
    <tr>
      <td>{name}</td>
      <td>
        <input type="number" min={0} aria-label={`${name} capacity`} value={capacity} onInput={(e) => setCapacity(e.currentTarget.value)} />
      </td>
      <td>
        <input type="checkbox" aria-label={`${name} on`} checked={available} onChange={(e) => setAvailable(e.currentTarget.checked)} />
      </td>
      <td class="row-actions">
        <button
          type="button"
          class="secondary"
          disabled={action.busy}
          onClick={() => void action.run(() => props.api.post(props.path, { Capacity: capacity, Available: available })).then((ok) => ok && props.onSaved())}
        >
          Save {name}
        </button>
        {action.error && <Notice>{action.error}</Notice>}
      </td>
    </tr>
  );
}
