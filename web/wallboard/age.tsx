import { formatDuration } from '../shared/time.ts';
import { waitLevel } from './board-view.ts';

/** A wait's age, marked when it grows old (60 s) and too old (180 s). */
export function Age(props: { seconds: number }) {
  const level = waitLevel(props.seconds);
  return <span class={`age age-${level}`}>{formatDuration(props.seconds)}</span>;
}
