import { useState } from 'preact/hooks';

/**
 * Runs the agent's actions (accept, transfer, send…) one at a time: `busy` while one is under way (its buttons are
 * disabled), and a failure handed to `onError` for the desk to show.
 */
export function useAction(onError: (err: unknown) => void): [busy: boolean, act: (action: () => Promise<unknown>) => void] {
  const [busy, setBusy] = useState(false);
  const act = (action: () => Promise<unknown>) => {
    setBusy(true);
    action()
      .catch(onError)
      .finally(() => setBusy(false));
  };
  return [busy, act];
}
