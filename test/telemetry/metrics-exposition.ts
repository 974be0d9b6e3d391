/** One sample of a Prometheus text exposition: a metric name, its labels and its value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', n: '\n' };

/**
 * Reads the samples of a Prometheus text exposition (version 0.0.4): `name{label="value",…} value [timestamp]`
 * lines; comments and blank lines are skipped. Label values are read character by character, escapes included.
 */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    samples.push(parseLine(line));
  }
  return samples;
}

function parseLine(line: string): Sample {
  let at = 0;
  const word = (): string => {
    NAME.lastIndex = at;
    const match = NAME.exec(line);
    if (!match) throw new Error(`expected a name at ${at} of: ${line}`);
    at = NAME.lastIndex;
    return match[0];
  };
  const name = word();
  const labels: Record<string, string> = {};
  if (line[at] === '{') {
    at += 1;
    while (line[at] !== '}') {
      const key = word();
      if (line.slice(at, at + 2) !== '="') throw new Error(`expected =" after ${key} in: ${line}`);
      at += 2;
      let value = '';
      while (line[at] !== '"') {
        if (at >= line.length) throw new Error(`unterminated value of ${key} in: ${line}`);
        if (line[at] === '\\') value += ESCAPES[line[(at += 1)]!] ?? '';
        else value += line[at];
        at += 1;
      }
      labels[key] = value;
      at += 1;
      if (line[at] === ',') at += 1;
    }
    at += 1;
  }
  const [raw] = line.slice(at).trim().split(/\s+/);
  return { name, labels, value: numberOf(raw!) };
}

function numberOf(raw: string): number {
  if (raw === '+Inf') return Infinity;
  if (raw === '-Inf') return -Infinity;
  return Number(raw);
}

/** The sum of the samples named `name` whose labels include every one of `match`. */
export function total(samples: readonly Sample[], name: string, match: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}

/** Scrapes `url` with the given Authorization header (none by default) and parses what it answers. */
export async function scrape(url: string, authorization?: string): Promise<Sample[]> {
  const res = await fetch(url, { headers: authorization ? { Authorization: authorization } : {} });
  if (res.status !== 200) throw new Error(`scrape of ${url} answered ${res.status}: ${await res.text()}`);
  return parseExposition(await res.text());
}

/** An HTTP Basic Authorization header. */
export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
