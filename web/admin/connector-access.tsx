import { Notice } from '../shared/ui.tsx';

/**
 * Shown instead of the connector's sections to an admin token: phone numbers and IVR menus are the account's (a
 * menu may serve numbers of several workspaces, and menus lead into one another), so a token for one workspace must
 * not change them.
 */
export function ConnectorNeedsAccount(props: { what: string }) {
  return (
    <section aria-labelledby="connector-title" class="card">
      <h2 id="connector-title">{props.what}</h2>
      <Notice kind="info">{props.what} belong to the whole account: sign in with an API key (or the account SID and auth token) to manage them.</Notice>
    </section>
  );
}

/** Form values for the connector's resources: on create an empty field is left out (the default applies); on update it clears the setting. */
export function setting(value: string, updating: boolean): string | undefined {
  return value.trim() === '' ? (updating ? '' : undefined) : value.trim();
}
