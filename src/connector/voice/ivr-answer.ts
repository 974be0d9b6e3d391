import type { IvrMenuRecord, IvrOption } from '../../core/model.js';

/**
 * The option a caller's answer picks: keys pressed match an option's digits exactly; words heard pick the first
 * option one of whose words appears in them. Null when the answer picks nothing (or there was none).
 */
export function pickOption(menu: Pick<IvrMenuRecord, 'options'>, digits: string | undefined, speech: string | undefined): IvrOption | null {
  if (digits) {
    const pressed = digits.replace(/#$/, '');
    const option = menu.options.find((o) => o.digits === pressed);
    if (option) return option;
  }
  if (speech) {
    const heard = new Set(
      speech
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((w) => w !== ''),
    );
    const said = speech.toLowerCase();
    const option = menu.options.find((o) => o.speech.some((word) => (word.includes(' ') ? said.includes(word) : heard.has(word))));
    if (option) return option;
  }
  return null;
}
