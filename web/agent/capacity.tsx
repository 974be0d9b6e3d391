import type { Reservation, Worker } from 'twilio-taskrouter';

/**
 * The agent's capacity per channel (voice, SMS, chat…): tasks held of how many, and whether the channel takes more
 * work. Tasks held are counted from the agent's reservations (accepted or wrapping), which the SDK keeps current;
 * its channel records change only when their configuration does.
 */
export function Capacity(props: { worker: Worker; reservations: Reservation[] }) {
  const held = (channel: string) => props.reservations.filter((r) => r.status !== 'pending' && r.task.taskChannelUniqueName === channel).length;
  const channels = [...props.worker.channels.values()].sort((a, b) => a.taskChannelUniqueName.localeCompare(b.taskChannelUniqueName));
  return (
    <section class="card" aria-labelledby="capacity-title">
      <h2 id="capacity-title">Capacity</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col" class="num">
              Tasks
            </th>
            <th scope="col">Taking work</th>
          </tr>
        </thead>
        <tbody>
          {channels.map((c) => (
            <tr>
              <th scope="row">{c.taskChannelUniqueName}</th>
              <td class="num">
                {held(c.taskChannelUniqueName)} of {c.capacity}
              </td>
              <td>{props.worker.activity?.available && c.available && c.capacity > held(c.taskChannelUniqueName) ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
