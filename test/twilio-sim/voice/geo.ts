import type { Geo } from '../core/types.js';

// A few well-known North American area codes so webhooks carry plausible location fields, as Twilio's do.
const AREA_CODES: Record<string, Required<Geo>> = {
  '212': { city: 'NEW YORK', state: 'NY', zip: '10001', country: 'US' },
  '310': { city: 'LOS ANGELES', state: 'CA', zip: '90001', country: 'US' },
  '312': { city: 'CHICAGO', state: 'IL', zip: '60601', country: 'US' },
  '415': { city: 'SAN FRANCISCO', state: 'CA', zip: '94103', country: 'US' },
  '512': { city: 'AUSTIN', state: 'TX', zip: '73301', country: 'US' },
  '617': { city: 'BOSTON', state: 'MA', zip: '02108', country: 'US' },
  '206': { city: 'SEATTLE', state: 'WA', zip: '98101', country: 'US' },
  '416': { city: 'TORONTO', state: 'ON', zip: '', country: 'CA' },
};

const COUNTRY_CODES: [string, string][] = [
  ['+44', 'GB'],
  ['+33', 'FR'],
  ['+49', 'DE'],
  ['+61', 'AU'],
  ['+34', 'ES'],
  ['+39', 'IT'],
  ['+31', 'NL'],
  ['+81', 'JP'],
  ['+1', 'US'],
];

/** Best-effort location of a phone number; undefined for client and SIP addresses, which Twilio cannot place. */
export function guessGeo(address: string): Required<Geo> | undefined {
  if (!address.startsWith('+')) return undefined;
  if (address.startsWith('+1')) {
    const known = AREA_CODES[address.slice(2, 5)];
    if (known) return known;
  }
  const country = COUNTRY_CODES.find(([prefix]) => address.startsWith(prefix))?.[1] ?? '';
  return { city: '', state: '', zip: '', country };
}

/**
 * `FromCity…ToCountry` plus their legacy `Caller*`/`Called*` twins. Twilio sends them (empty when unknown) for phone
 * numbers and leaves them out for clients and SIP.
 */
export function geoParams(from: string, to: string, overrides: { from?: Geo; to?: Geo }): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (side: 'From' | 'To', twin: 'Caller' | 'Called', address: string, override?: Geo) => {
    const guessed = guessGeo(address);
    if (!guessed && !override) return;
    const g = { ...(guessed ?? { city: '', state: '', zip: '', country: '' }), ...override };
    for (const [field, value] of [
      ['City', g.city],
      ['State', g.state],
      ['Zip', g.zip],
      ['Country', g.country],
    ] as const) {
      out[`${side}${field}`] = value ?? '';
      out[`${twin}${field}`] = value ?? '';
    }
  };
  add('From', 'Caller', from, overrides.from);
  add('To', 'Called', to, overrides.to);
  return out;
}
