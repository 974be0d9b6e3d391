import { useState } from 'preact/hooks';
import type { Api } from '../shared/api.ts';
import { Notice } from '../shared/ui.tsx';
import type { Worker } from './records.ts';
import { onSubmitted, useAction } from './resource-hooks.ts';
import { workspacePath } from './section.ts';

/** How long an agent's sign-in link lasts, in hours, by default (a working day). */
const DEFAULT_HOURS = 8;

/**
 * Issues an agent's sign-in link: a worker token for `worker` from the Tokens endpoint, as the address of the agent
 * desktop with the token in its fragment (never sent to a server, and taken out of the address bar on arrival).
 */
export function SignInLink(props: { api: Api; workspaceSid: string; worker: Worker; onClose: () => void }) {
  const [hours, setHours] = useState(String(DEFAULT_HOURS));
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const action = useAction();
  const issue = onSubmitted(async () => {
    setCopied(false);
    await action.run(async () => {
      const ttl = Math.round(Number(hours) * 3600);
      const { token } = await props.api.post<{ token: string }>(workspacePath(props.workspaceSid, 'Tokens'), { WorkerSid: props.worker.sid, Ttl: ttl });
      setLink(`${location.origin}/agent#token=${token}`);
    });
  });
  async function copy() {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      // Without clipboard permission the link stays selected in its field for the user to copy.
      document.getElementById('sign-in-link')?.focus();
    }
  }
  return (
    <form class="card sign-in-link" onSubmit={issue} aria-label={`Sign-in link for ${props.worker.friendly_name}`}>
      <h3>Sign-in link for {props.worker.friendly_name}</h3>
      <div class="form-grid">
        <label>
          Valid for (hours)
          <input type="number" min={0.1} max={24} step={0.1} value={hours} onInput={(e) => setHours(e.currentTarget.value)} />
        </label>
      </div>
      <div class="form-actions">
        <button type="submit" disabled={action.busy}>
          Issue link
        </button>
        <button type="button" class="secondary" onClick={props.onClose}>
          Close
        </button>
      </div>
      {action.error && <Notice>{action.error}</Notice>}
      {link && (
        <div class="link-out">
          <label>
            Agent sign-in link
            <input id="sign-in-link" class="mono" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
          </label>
          <button type="button" onClick={() => void copy()}>
            Copy link
          </button>
          {copied && <Notice kind="info">Copied.</Notice>}
        </div>
      )}
    </form>
  );
}
