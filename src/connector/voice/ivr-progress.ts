import { isSid } from '../../core/sid.js';
import { decodeState, encodeState, stateOf, voiceWebhookUrl } from '../webhook-urls.js';

/**
 * Where a caller is in the IVR, carried in the menu's action URL: the number called, the menu being asked, how
 * many times it was asked already, and the attributes the caller's answers have added so far.
 */
export interface IvrProgress {
  numberSid: string;
  menuSid: string;
  attempt: number;
  answers: Record<string, unknown>;
}

/** The action URL of a menu's `<Gather>`. */
export function ivrActionUrl(publicUrl: string, progress: IvrProgress): string {
  return voiceWebhookUrl(publicUrl, 'menu', {
    number: progress.numberSid,
    menu: progress.menuSid,
    attempt: progress.attempt,
    answers: Object.keys(progress.answers).length > 0 ? encodeState(progress.answers) : undefined,
  });
}

/** The progress an action URL's query carries, or null when it is not one `ivrActionUrl` wrote. */
export function readIvrProgress(query: Record<string, unknown>): IvrProgress | null {
  const { number, menu, attempt, answers } = stateOf(query);
  const tries = Number(attempt ?? '0');
  if (!isSid(number, 'PN') || !isSid(menu, 'IM') || !Number.isInteger(tries) || tries < 0) return null;
  const decoded = decodeState<unknown>(answers, {});
  return {
    numberSid: number,
    menuSid: menu,
    attempt: tries,
    answers: decoded && typeof decoded === 'object' && !Array.isArray(decoded) ? (decoded as Record<string, unknown>) : {},
  };
}
