import { useEffect, useRef, useState } from 'preact/hooks';
import type { TaskEnding } from './actions.ts';
import type { LiveTask } from './live-model.ts';

/** Which task a supervisor is about to end, and how. */
export interface TaskToEnd {
  task: LiveTask;
  ending: TaskEnding;
}

const WORDS: Record<TaskEnding, { verb: string; reason: string; explain: string }> = {
  canceled: { verb: 'Cancel', reason: 'Canceled by a supervisor', explain: 'It leaves its queue and nobody will be offered it again.' },
  completed: { verb: 'Complete', reason: 'Completed by a supervisor', explain: 'Its agent is freed for the next task.' },
};

/** Asks the supervisor to confirm ending a task, with the reason recorded on it. */
export function EndTaskDialog(props: { target: TaskToEnd; busy: boolean; onConfirm: (reason: string) => void; onClose: () => void }) {
  const { task, ending } = props.target;
  const words = WORDS[ending];
  const [reason, setReason] = useState(words.reason);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  function submit(event: Event) {
    event.preventDefault();
    props.onConfirm(reason.trim() || words.reason);
  }
  return (
    <dialog ref={dialog} class="card end-task" aria-labelledby="end-task-title" onClose={props.onClose}>
      <form onSubmit={submit}>
        <h2 id="end-task-title">
          {words.verb} task {task.label || task.sid}?
        </h2>
        <p>
          {words.explain} <span class="muted">({task.sid})</span>
        </p>
        <label>
          Reason
          <input value={reason} maxLength={200} onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
        <div class="dialog-buttons">
          <button type="button" class="secondary" onClick={props.onClose}>
            Keep it
          </button>
          <button type="submit" class="danger" disabled={props.busy}>
            {words.verb} task
          </button>
        </div>
      </form>
    </dialog>
  );
}
