import { useEffect, useRef, useState } from 'preact/hooks';
import { Api } from '../shared/api.ts';
import type { Heard } from '../shared/audio/call-speaker.ts';
import { LevelMeter } from '../shared/audio/level-meter.tsx';
import { telephoneAudioContext } from '../shared/audio/telephone-audio.ts';
import type { Credentials } from '../shared/credentials.ts';
import { Notice } from '../shared/ui.tsx';
import { CallListener } from './listen/call-listener.ts';
import './listen/listen-in.css';

/** What the wallboard gives a Listen control: its credentials, and the live voice task to listen to. */
export interface ListenInProps {
  credentials: Credentials;
  workspaceSid: string;
  taskSid: string;
  /** Whether the call is still on: a Listen button is offered only then (default true). */
  live?: boolean;
}

/**
 * A supervisor's "Listen" control for a live call: both sides of it in the browser (the caller and the agent,
 * through the Listen socket), with a level meter, until "Stop listening" or the call ends. Nobody on the call hears
 * the supervisor.
 */
export function ListenIn(props: ListenInProps) {
  const [listening, setListening] = useState<{ listener: CallListener; context: AudioContext } | null>(null);
  const [heard, setHeard] = useState<Heard>({ level: 0, frames: 0 });
  const [notice, setNotice] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const current = useRef(listening);
  current.current = listening;

  function stop() {
    current.current?.listener.stop();
    void current.current?.context.close();
    setListening(null);
  }
  useEffect(() => stop, [props.taskSid]);

  function listen() {
    // Made on the click, so that the browser lets it play.
    const context = telephoneAudioContext();
    const listener = new CallListener(context, {
      heard: setHeard,
      ended: (why) => {
        stop();
        setNotice({ kind: 'info', text: why });
      },
    });
    setHeard({ level: 0, frames: 0 });
    setNotice(null);
    setListening({ listener, context });
    listener.open(new Api(props.credentials), props.taskSid).catch((err: unknown) => {
      stop();
      setNotice({ kind: 'error', text: `Could not listen: ${(err as Error).message}` });
    });
  }

  return (
    <span class="listen-in">
      {listening ? (
        <>
          <button type="button" class="quiet" onClick={stop}>
            Stop listening
          </button>
          <LevelMeter label={`Call audio level of ${props.taskSid}`} level={heard.level} frames={heard.frames} />
        </>
      ) : (
        props.live !== false && (
          <button type="button" onClick={listen}>
            Listen
          </button>
        )
      )}
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
    </span>
  );
}
