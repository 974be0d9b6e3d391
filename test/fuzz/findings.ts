import type { Rule, Violation } from './oracle.js';

/** Findings of a fuzz run, grouped by what broke where, each with its first example and how to replay it. */

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
    this.groups.set(key, { rule: violation.rule, detail: violation.detail, count: 1, ...context });
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
    return [...this.groups.values()].sort((a, b) => a.rule.localeCompare(b.rule) || a.route.localeCompare(b.route));
  }

  /** A report: counts, then every finding. */
  report(title: string): string {
    const all = this.all();
    const lines = [`${title}: ${this.requests} requests, ${all.length} finding groups (${all.reduce((n, f) => n + f.count, 0)} requests broke a rule)`];
    if (all.length > 0) lines.push('', 'Findings:');
    for (const f of all) lines.push(describe(f));
    return lines.join('\n');
  }
}

function describe(f: Finding): string {
  return `  - ${f.rule} ${f.status ?? ''} ${f.route} ×${f.count}\n      ${f.detail}\n      e.g. ${f.example}\n      replay: ${f.replay}`;
}
