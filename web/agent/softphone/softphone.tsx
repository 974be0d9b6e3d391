import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Worker } from 'twilio-taskrouter';
import { Api } from '../../shared/api.ts';
import { CallSpeaker, type Heard } from '../../shared/audio/call-speaker.ts';
import { LevelMeter } from '../../shared/audio/level-meter.tsx';
import { openMicrophone, type Microphone } from '../../shared/audio/microphone.ts';
import { encodePayload } from '../../shared/audio/mulaw.ts';
import { telephoneAudioContext } from '../../shared/audio/telephone-audio.ts';
import { formatDuration, secondsSince } from '../../shared/time.ts';
import { Notice, useNow } from '../../shared/ui.tsx';
import { AgentLine, type LineMessage, type LineStatus } from './agent-line.ts';
import { useCallerOf } from './caller-of.ts';
import './softphone.css';

/**
 * What the agent desktop gives its softphone: the agent's worker token (kept fresh by the desktop), and optionally
 * the desktop's own worker SDK session, which the softphone then reads its callers from instead of opening one.
 */
export interface SoftphoneProps {
  token: string;
  worker?: Worker;
}

/** The call on the line: its task and reservation, and when it started (epoch ms). */
interface Call {
  taskSid: string;
  reservationSid: string;
  startedAt: number;
}

/**
 * The agent's softphone, for calls bridged to this browser when the worker's `contact_uri` is `stream:<identity>`:
 * it keeps the agent's audio socket open ("Phone ready"), and a call bridged to it is answered at once (the
 * reservation is accepted as the stream starts). On a call it plays the caller, sends the microphone (μ-law, 20 ms
 * frames), and offers Mute and Hang up, with a level meter of the caller's audio.
 */
export function Softphone(props: SoftphoneProps) {
  // With the desktop's session at hand, a worker whose calls ring elsewhere is told so without asking the server.
  const contact = props.worker ? contactUriOf(props.worker) : undefined;
  if (props.worker && !contact?.startsWith('stream:')) {
    return (
      <section class="softphone card" aria-labelledby="softphone-title">
        <h2 id="softphone-title">Phone</h2>
        <Notice kind="info">{`Calls do not ring in this browser: this worker's contact_uri is not stream:<identity> (${contact || 'none set'}).`}</Notice>
      </section>
    );
  }
  return <BrowserPhone {...props} />;
}

/** The worker's `contact_uri` attribute, where its calls ring. */
function contactUriOf(worker: Worker): string {
  const value = (worker.attributes as Record<string, unknown> | undefined)?.contact_uri;
  return typeof value === 'string' ? value : '';
}

/** The softphone of a worker whose calls ring in this browser, or whom the server is asked about. */
function BrowserPhone(props: SoftphoneProps) {
  const [status, setStatus] = useState<{ line: LineStatus; detail?: string }>({ line: 'connecting' });
  const [call, setCall] = useState<Call | null>(null);
  const [muted, setMuted] = useState(false);
  const [heard, setHeard] = useState<Heard>({ level: 0, frames: 0 });
  const [problem, setProblem] = useState<string | null>(null);
  const [soundBlocked, setSoundBlocked] = useState(false);
  const audio = useMemo(() => telephoneAudioContext(), []);
  const microphone = useRef<Microphone | null>(null);
  const line = useRef<AgentLine | null>(null);
  const caller = useCallerOf(props.token, call?.reservationSid ?? null, props.worker);
  const now = useNow();
  // The desktop renews the token; the line reads the latest one whenever it connects, without hanging up.
  const token = useRef(props.token);
  token.current = props.token;

  // Read by the microphone when it opens, which may be after the agent pressed Mute.
  const mutedNow = useRef(muted);
  mutedNow.current = muted;

  useEffect(() => {
    let speaker = new CallSpeaker(audio, setHeard);
    /** Counts calls, so that a microphone opening after its call ended is released rather than kept. */
    let calls = 0;
    const endCall = () => {
      calls++;
      microphone.current?.stop();
      microphone.current = null;
      setCall(null);
      setMuted(false);
    };
    const received = (message: LineMessage) => {
      switch (message.event) {
        case 'start': {
          const thisCall = ++calls;
          speaker = new CallSpeaker(audio, setHeard);
          setHeard({ level: 0, frames: 0 });
          setCall({ taskSid: message.taskSid, reservationSid: message.reservationSid, startedAt: Date.now() });
          setProblem(null);
          void audio.resume();
          openMicrophone(audio, (samples) => line.current?.sendAudio(encodePayload(samples))).then(
            (opened) => {
              if (thisCall !== calls) return opened.stop();
              opened.setMuted(mutedNow.current);
              microphone.current = opened;
            },
            (err: unknown) => thisCall === calls && setProblem(`The microphone could not be used (${(err as Error).message}): the caller cannot hear you.`),
          );
          return;
        }
        case 'media':
          return speaker.play(message.media.payload);
        case 'stop':
          return endCall();
      }
    };
    const opened = new AgentLine(() => new Api({ kind: 'token', token: token.current }), {
      status: (lineStatus, detail) => {
        setStatus({ line: lineStatus, detail });
        if (lineStatus === 'down') endCall();
      },
      message: received,
    });
    line.current = opened;
    opened.open();
    setSoundBlocked(audio.state === 'suspended');
    audio.onstatechange = () => setSoundBlocked(audio.state === 'suspended');
    return () => {
      opened.close();
      calls++;
      microphone.current?.stop();
      void audio.close();
    };
  }, [audio]);

  function toggleMute() {
    microphone.current?.setMuted(!muted);
    setMuted(!muted);
  }

  return (
    <section class="softphone card" aria-labelledby="softphone-title">
      <h2 id="softphone-title">Phone</h2>
      <p class={`badge ${status.line === 'ready' ? 'good' : status.line === 'down' ? 'bad' : 'warn'}`} role="status">
        {status.line === 'ready' ? (call ? 'On a call' : 'Phone ready') : status.line === 'connecting' ? 'Connecting the phone…' : 'Phone offline'}
      </p>
      {status.line === 'down' && status.detail && <Notice>{`The phone is offline: ${status.detail}. Retrying…`}</Notice>}
      {status.line === 'refused' && <Notice kind="info">{`Calls do not ring in this browser: ${status.detail ?? 'the phone was refused'}.`}</Notice>}
      {soundBlocked && (
        <button type="button" onClick={() => void audio.resume()}>
          Turn on sound
        </button>
      )}
      {call && (
        <div class="call" aria-label="Current call">
          <p>
            Call with <strong>{caller ?? 'the caller'}</strong> · <span class="duration">{formatDuration(secondsSince(call.startedAt, now))}</span>
          </p>
          <LevelMeter label="Caller's audio level" level={heard.level} frames={heard.frames} />
          <div class="call-buttons">
            <button type="button" onClick={toggleMute}>
              {muted ? 'Unmute' : 'Mute'}
            </button>
            <button type="button" class="danger" onClick={() => line.current?.hangUp()}>
              Hang up
            </button>
          </div>
          {problem && <Notice>{problem}</Notice>}
        </div>
      )}
    </section>
  );
}
