import type { ComponentChildren } from 'preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { saveCredentials, type Credentials } from './credentials.ts';
import './base.css';

/** Renders a page's root component into its `<main id="app">`. */
export function mount(app: ComponentChildren): void {
  render(app, document.getElementById('app')!);
}

/** The time now, refreshed every `everyMs` so that clocks and ages on screen move (nothing is fetched). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

const PAGES = [
  ['/agent', 'Agent desktop'],
  ['/wallboard', 'Wallboard'],
  ['/admin', 'Admin'],
] as const;

/** The bar across the top of every page: product, page links, who is signed in, and whatever the page adds. */
export function PageHeader(props: { current: string; who?: string; onSignOut?: () => void; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <span class="brand">Switchboard</span>
      <nav aria-label="Pages">
        {PAGES.map(([href, label]) => (
          <a href={href} aria-current={href === props.current ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      <div class="header-tools">
        {props.children}
        {props.who && <span class="who">{props.who}</span>}
        {props.onSignOut && (
          <button type="button" class="quiet" onClick={props.onSignOut}>
            Sign out
          </button>
        )}
      </div>
    </header>
  );
}

/** A message the user must see: an error (role alert) or a status line (role status). */
export function Notice(props: { kind?: 'error' | 'info'; children: ComponentChildren }) {
  const kind = props.kind ?? 'error';
  return (
    <div class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

/**
 * Sign-in with an API key or the account pair (what twilio-node uses), for pages opened without a sign-in link. The
 * pair is checked by `verify` before it is kept.
 */
export function SignInForm(props: { page: string; title: string; verify: (credentials: Credentials) => Promise<void>; onSignedIn: (c: Credentials) => void }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  function submit(event: Event) {
    event.preventDefault();
    void signIn();
  }
  async function signIn() {
    const credentials: Credentials = { kind: 'basic', user: user.trim(), password };
    setBusy(true);
    try {
      await props.verify(credentials);
      saveCredentials(props.page, credentials);
      props.onSignedIn(credentials);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="sign-in card" onSubmit={submit} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{props.title}</h1>
      <p>Sign in with an API key (SK…) and its secret, or the account SID and auth token.</p>
      <label>
        Key or account SID
        <input name="user" autoComplete="username" required value={user} onInput={(e) => setUser(e.currentTarget.value)} />
      </label>
      <label>
        Secret
        <input name="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      </label>
      {error && <Notice>{error}</Notice>}
      <button type="submit" disabled={busy}>
        Sign in
      </button>
    </form>
  );
}
