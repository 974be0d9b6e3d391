import './level-meter.css';

/** A call's audio level as a meter (0 to 1), labelled for assistive technology, with how many frames were heard. */
export function LevelMeter(props: { label: string; level: number; frames: number }) {
  return (
    <span class="level-meter">
      <meter aria-label={props.label} min={0} max={1} low={0.25} high={0.85} optimum={0.5} value={props.level} />
      <span class="frames" aria-live="off">
        {props.frames} frames
      </span>
    </span>
  );
}
