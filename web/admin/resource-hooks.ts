import { useCallback, useEffect, useState } from 'preact/hooks';

/** A list read from the API: its items once loaded, the error that stopped it, and a way to read it again. */
export interface Loaded<T> {
  items: T[] | null;
  error: string | null;
  reload: () => void;
}

/** Loads `load()` now and whenever `key` changes or `reload` is called. */
export function useLoaded<T>(load: () => Promise<T[]>, key: string): Loaded<T> {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setError(null);
    load().then(
      (loaded) => current && setItems(loaded),
      (err: Error) => current && setError(err.message),
    );
    return () => {
      current = false;
    };
    // `load` is rebuilt on every render; `key` says when what it reads has changed.
  }, [key, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { items, error, reload };
}

/** A write the user started: whether it is under way, and the server's error when it failed. */
export interface Action {
  busy: boolean;
  error: string | null;
  /** Runs `write`; on failure keeps its message (the API's Twilio error) to show, and answers false. */
  run: (write: () => Promise<unknown>) => Promise<boolean>;
  clear: () => void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (write: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await write();
      return true;
    } catch (err) {
      setError((err as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(null) };
}

/** A form's submit handler that runs `submit` in place of the browser's navigation. */
export function onSubmitted(submit: () => Promise<unknown>): (event: Event) => void {
  return (event) => {
    event.preventDefault();
    void submit();
  };
}

/** Which record a section's form edits (null: a new one), and a key that gives the form fresh fields after each save. */
export interface Editing<T> {
  record: T | null;
  edit: (record: T) => void;
  /** The form saved or was cancelled: back to an empty form for a new record. */
  done: () => void;
  formKey: string;
}

export function useEditing<T extends { sid: string }>(): Editing<T> {
  const [record, setRecord] = useState<T | null>(null);
  const [round, setRound] = useState(0);
  return {
    record,
    edit: setRecord,
    done: () => {
      setRecord(null);
      setRound((r) => r + 1);
    },
    formKey: `${record?.sid ?? 'new'}-${round}`,
  };
}
