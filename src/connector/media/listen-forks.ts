import type twilio from 'twilio';
import { badRequest, TwilioError } from '../../core/errors.js';
import type { TaskRecord } from '../../core/model.js';
import { attributesOf } from '../task-attributes.js';
import { twilioRest } from '../twilio/rest-failure.js';
import { bindingParameters } from './stream-binding.js';

export interface ListenForkDeps {
  /** Twilio's REST client; null when no Twilio credentials are configured. */
  client: twilio.Twilio | null;
  authToken: string;
  /** The URL Twilio streams to. */
  streamUrl: () => string;
}

interface Fork {
  /** The client that started the fork, and stops it. */
  client: twilio.Twilio;
  callSid: string;
  name: string;
  started: Promise<void>;
}

/**
 * Forks a task's call audio to us while someone listens: a unidirectional stream of both tracks started on the
 * caller's call through the REST Streams resource when the first supervisor arrives, and stopped when the last one
 * leaves, so calls nobody listens to cost no streaming. One fork per task per process.
 */
export class ListenForks {
  private readonly forks = new Map<string, Fork>();

  constructor(private readonly deps: ListenForkDeps) {}

  /** Starts the task's fork, unless this process already did; rejects when Twilio refuses it. */
  start(workspaceSid: string, task: TaskRecord): Promise<void> {
    const running = this.forks.get(task.sid);
    if (running) return running.started;
    const callSid = attributesOf(task).call_sid;
    if (typeof callSid !== 'string' || callSid === '') return Promise.reject(badRequest(`Task ${task.sid} has no call to listen to`));
    const client = this.deps.client;
    if (!client)
      return Promise.reject(
        new TwilioError(20001, 501, 'Listening is not configured on this server: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and PUBLIC_URL'),
      );
    const name = `listen-${task.sid}`;
    const parameters = bindingParameters(
      { purpose: 'listen', workspaceSid, taskSid: task.sid, reservationSid: null, identity: null, postWorkActivitySid: null },
      callSid,
      this.deps.authToken,
    );
    const request: Record<string, string> = { url: this.deps.streamUrl(), name, track: 'both_tracks' };
    Object.entries(parameters).forEach(([key, value], i) => {
      request[`parameter${i + 1}.name`] = key;
      request[`parameter${i + 1}.value`] = value;
    });
    const started = twilioRest('fork the call audio', () => client.calls(callSid).streams.create(request as never)).then(() => undefined);
    const fork: Fork = { client, callSid, name, started };
    this.forks.set(task.sid, fork);
    started.catch(() => {
      if (this.forks.get(task.sid) === fork) this.forks.delete(task.sid);
    });
    return started;
  }

  /**
   * Stops the task's fork, if this process started one. `stillStreaming` false: the stream already ended with the
   * call, and only needs forgetting.
   */
  async stop(taskSid: string, stillStreaming: boolean): Promise<void> {
    const fork = this.forks.get(taskSid);
    if (!fork) return;
    this.forks.delete(taskSid);
    if (!stillStreaming) return;
    try {
      await fork.started;
      await fork.client.calls(fork.callSid).streams(fork.name).update({ status: 'stopped' });
    } catch {
      // The call ended meanwhile, and its stream with it: nothing left to stop.
    }
  }
}
