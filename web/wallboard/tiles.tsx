import { formatDuration } from '../shared/time.ts';
import { percent, type WindowFigures } from './figures.ts';
import { waitLevel, type Tiles } from './board-view.ts';

/** The figures across the top of the wallboard, large enough to read from across the room. */
export function TileRow(props: { tiles: Tiles; thresholdSeconds: number }) {
  const { tiles, thresholdSeconds } = props;
  const longest = tiles.longestWait;
  return (
    <section class="tiles" aria-label="Summary">
      <Tile label="Tasks waiting" value={String(tiles.waiting)} level={tiles.waiting > 0 ? 'warn' : 'ok'} />
      <Tile label="Longest wait" value={longest === null ? '—' : formatDuration(longest)} level={longest === null ? 'ok' : waitLevel(longest)} />
      <Tile label="Agents available" value={String(tiles.agents.available)} level="good" />
      <Tile label="Agents busy" value={String(tiles.agents.busy)} detail="on a task or unavailable" />
      <Tile label="Agents offline" value={String(tiles.agents.offline)} />
      <ServiceLevelTile label="Service level, 30 min" figures={tiles.last30} thresholdSeconds={thresholdSeconds} />
      <ServiceLevelTile label="Service level, today" figures={tiles.today} thresholdSeconds={thresholdSeconds} />
      <Tile
        label="Abandoned, 30 min"
        value={tiles.last30 ? String(tiles.last30.abandoned) : '—'}
        detail={tiles.today ? `${tiles.today.abandoned} today` : undefined}
        level={tiles.last30 && tiles.last30.abandoned > 0 ? 'warn' : 'ok'}
      />
    </section>
  );
}

type TileLevel = 'ok' | 'good' | 'warn' | 'alarm';

function Tile(props: { label: string; value: string; detail?: string; level?: TileLevel }) {
  const id = `tile-${props.label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div class={`tile card level-${props.level ?? 'ok'}`} role="group" aria-labelledby={id}>
      <div class="tile-label" id={id}>
        {props.label}
      </div>
      <div class="tile-value">{props.value}</div>
      {props.detail && <div class="tile-detail">{props.detail}</div>}
    </div>
  );
}

/** Service level colours follow the usual bands: 90 % and up is good, above 60 % a warning, else an alarm. */
function ServiceLevelTile(props: { label: string; figures: WindowFigures | null; thresholdSeconds: number }) {
  const sl = props.figures?.serviceLevel;
  const value = sl ? percent(sl) : null;
  const level: TileLevel = value === null ? 'ok' : value >= 90 ? 'good' : value > 60 ? 'warn' : 'alarm';
  const detail = sl ? `${sl.withinThreshold} of ${sl.ended} within ${props.thresholdSeconds}s` : undefined;
  return <Tile label={props.label} value={value === null ? '—' : `${value}%`} detail={detail} level={level} />;
}
