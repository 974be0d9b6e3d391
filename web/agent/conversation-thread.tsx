import { useEffect, useRef, useState } from 'preact/hooks';
import type { Task } from 'twilio-taskrouter';
import { Api } from '../shared/api.ts';
import { formatClock } from './task-view.ts';

interface Message {
  sid: string | null;
  direction: 'inbound' | 'outbound';
  body: string;
  author: string | null;
  date_created: string;
}

/**
 * The SMS conversation of a task: its messages, oldest first, and a reply box whose text goes to the customer through
 * Twilio. New customer messages appear as they come: each one updates the task's attributes (`message_count`), which
 * the SDK reports as the task's `updated`, and the thread is read again then; there is no polling.
 */
export function ConversationThread(props: { task: Task; token: string; workspaceSid: string; onError: (err: unknown) => void }) {
  const { task } = props;
  const [messages, setMessages] = useState<Message[]>([]);
  const [reply, setReply] = useState('');
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState(0);
  const end = useRef<HTMLParagraphElement>(null);
  const path = `/v1/Workspaces/${props.workspaceSid}/Tasks/${task.sid}/Conversation`;
  const api = () => new Api({ kind: 'token', token: props.token });
  const count = (task.attributes as Record<string, unknown>).message_count;
  useEffect(() => {
    api()
      .get<{ messages: Message[] }>(path)
      .then((c) => setMessages(c.messages))
      .catch(props.onError);
  }, [path, count, sent]);
  useEffect(() => end.current?.scrollIntoView?.({ block: 'nearest' }), [messages.length]);
  function submit(event: Event) {
    event.preventDefault();
    if (!reply.trim()) return;
    setSending(true);
    api()
      .post(`${path}/Messages`, { Body: reply })
      .then(() => {
        setReply('');
        setSent((n) => n + 1);
      })
      .catch(props.onError)
      .finally(() => setSending(false));
  }
  return (
    <section class="thread" aria-label="Conversation">
      <div class="messages" role="log" aria-label="Messages">
        {messages.map((m, i) => (
          <p class={`message ${m.direction}`} ref={i === messages.length - 1 ? end : undefined}>
            <span class="meta">
              {m.direction === 'inbound' ? 'Customer' : (m.author ?? 'Agent')} · {formatClock(m.date_created)}
            </span>
            <span class="body">{m.body}</span>
          </p>
        ))}
      </div>
      <form class="reply" onSubmit={submit}>
        <label>
          Reply
          <textarea rows={2} value={reply} onInput={(e) => setReply(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={sending || !reply.trim()}>
          Send
        </button>
      </form>
    </section>
  );
}
