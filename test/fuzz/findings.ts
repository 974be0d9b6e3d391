import type { Rule, Violation } from './oracle.js';

/**
 * Findings of a fuzz run, grouped by what broke where, each with its first example and how to replay it; and the
 * defects already known to be fixed elsewhere, so a report tells known from new at a glance.
 */

/** A known defect: its name and how to recognise its findings. */
interface KnownDefect {
  id: string;
  description: string;
  matches(finding: { rule: Rule; route: string; status: number | null; detail: string; example: string }): boolean;
}

export const KNOWN_DEFECTS: KnownDefect[] = [
  {
    id: 'sockets',
    description: 'absolute-form request targets and TCP resets on refused WebSocket upgrades can end the process',
    matches: (f) => f.rule === 'process-exit' || (f.rule === 'no-answer' && f.detail.startsWith('upgrade left /healthz unanswered')),
  },
  {
    id: 'unparsed-bodies',
    description: 'POST bodies in a content type the route does not read (JSON to the TaskRouter API, non-form webhooks) are ignored instead of refused with 415',
    matches: (f) => f.rule === 'unparsed-body-accepted',
  },
  {
    id: 'redis-503',
    description: '503 bodies leaking Redis client messages, and errors other than a store outage reported as 503',
    matches: (f) => f.rule === 'server-error' && f.status === 503,
  },
  {
    id: 'callback-urls',
    description: 'callback URLs (EventCallbackUrl, AssignmentCallbackUrl) pointing at loopback, link-local or private addresses are accepted',
    matches: (f) => f.rule === 'callback-url-accepted',
  },
  {
    id: 'connector-limits',
    description: 'IVR option attributes and SMS task attributes are not held to the attributes limit in the connector',
    matches: (f) => f.rule === 'attributes-over-limit',
  },
];

/** One group of findings: a rule broken on a route with a status. */
export interface Finding {
  rule: Rule;
  route: string;
  status: number | null;
  detail: string;
  /** The first request that broke it, as sent. */
  example: string;
  /** How to generate the same requests again. */
  replay: string;
  count: number;
  known: string | null;
}

/** Collects findings of one run, grouped. */
export class FindingLog {
  private readonly groups = new Map<string, Finding>();
  requests = 0;
  /** Requests Node would not send (generator output no client can put on the wire). */
  unsendable = 0;

  record(violation: Violation, context: { route: string; status: number | null; example: string; replay: string }): void {
    const key = `${violation.rule}|${context.route}|${context.status ?? '-'}`;
    const existing = this.groups.get(key);
    if (existing) {
      existing.count++;
      return;
    }
    const finding: Finding = { rule: violation.rule, detail: violation.detail, count: 1, known: null, ...context };
    finding.known = KNOWN_DEFECTS.find((d) => d.matches(finding))?.id ?? null;
    this.groups.set(key, finding);
  }

  merge(other: FindingLog): void {
    this.requests += other.requests;
    this.unsendable += other.unsendable;
    for (const [key, finding] of other.groups) {
      const existing = this.groups.get(key);
      if (existing) existing.count += finding.count;
      else this.groups.set(key, { ...finding });
    }
  }

  all(): Finding[] {
    return [...this.groups.values()].sort((a, b) => Number(a.known !== null) - Number(b.known !== null) || a.rule.localeCompare(b.rule) || a.route.localeCompare(b.route));
  }

  /** A report: counts, then new findings, then known ones by defect. */
  report(title: string): string {
    const all = this.all();
    const lines = [`${title}: ${this.requests} requests, ${all.length} finding groups (${all.reduce((n, f) => n + f.count, 0)} requests broke a rule)`];
    const fresh = all.filter((f) => f.known === null);
    if (fresh.length > 0) lines.push('', 'NEW findings:');
    for (const f of fresh) lines.push(describe(f));
    for (const defect of KNOWN_DEFECTS) {
      const mine = all.filter((f) => f.known === defect.id);
      if (mine.length === 0) continue;
      lines.push('', `KNOWN [${defect.id}] ${defect.description}:`);
      for (const f of mine) lines.push(describe(f));
    }
    return lines.join('\n');
  }
}

function describe(f: Finding): string {
  return `  - ${f.rule} ${f.status ?? ''} ${f.route} ×${f.count}\n      ${f.detail}\n      e.g. ${f.example}\n      replay: ${f.replay}`;
}
