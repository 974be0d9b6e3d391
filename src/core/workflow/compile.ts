import { badRequest, type TwilioError } from '../errors.js';
import {
  ExpressionSyntaxError,
  parseAttributePath,
  parseExpression,
  parseOrderBy,
  referencedPaths,
  type Expression,
  type OrderByKey,
} from '../expression/index.js';
import type { CompiledFilter, CompiledTarget, CompiledWorkflow } from './types.js';

/** Largest configuration accepted, in UTF-8 bytes (TaskRouter's published limit). */
export const MAX_CONFIGURATION_BYTES = 1_038_576;

const MAX_INTEGER = 2_147_483_647;

/** Top-level names a target expression may read: the task, the candidate worker and the time of day. */
const TARGET_EXPRESSION_ROOTS: ReadonlySet<string> = new Set(['task', 'worker', 'taskrouter']);

type JsonObject = Record<string, unknown>;

/**
 * Validates a workflow `Configuration` document and turns it into routing-ready form: expressions parsed, queues
 * checked, omitted queues inherited from the previous target. Keys the format does not define are ignored.
 *
 * @param queueExists whether a TaskQueue SID names a queue of the workflow's workspace.
 * @throws TwilioError 20001 (HTTP 400) naming the offending location, e.g.
 *   `task_routing.filters[1].targets[0].queue: unknown TaskQueue WQ…`.
 */
export function compileWorkflowConfiguration(configuration: string, queueExists: (sid: string) => boolean): CompiledWorkflow {
  if (typeof configuration !== 'string') throw invalid('configuration', 'must be a JSON string');
  // TextEncoder rather than Buffer: this module also runs in the admin console, to validate as the server does.
  const bytes = new TextEncoder().encode(configuration).length;
  if (bytes > MAX_CONFIGURATION_BYTES) {
    throw invalid('configuration', `${bytes} bytes is larger than the limit of ${MAX_CONFIGURATION_BYTES} bytes`);
  }
  let document: unknown;
  try {
    document = JSON.parse(configuration);
  } catch (error) {
    throw invalid('configuration', `not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(document)) throw invalid('configuration', 'must be a JSON object');

  const routing = document['task_routing'];
  if (routing === undefined || routing === null) throw invalid('task_routing', 'required');
  if (!isObject(routing)) throw invalid('task_routing', 'must be an object');

  const rawFilters = routing['filters'] ?? [];
  if (!Array.isArray(rawFilters)) throw invalid('task_routing.filters', 'must be an array');
  const filters = rawFilters.map((raw, i) => compileFilter(raw, `task_routing.filters[${i}]`, queueExists));

  const rawDefault = routing['default_filter'];
  const workflow: CompiledWorkflow = { filters };
  if (rawDefault !== undefined && rawDefault !== null) {
    workflow.defaultFilter = compileTarget(rawDefault, 'task_routing.default_filter', undefined, queueExists, true);
  }
  return workflow;
}

function compileFilter(raw: unknown, where: string, queueExists: (sid: string) => boolean): CompiledFilter {
  if (!isObject(raw)) throw invalid(where, 'must be an object');

  const name = raw['filter_friendly_name'] ?? '';
  if (typeof name !== 'string') throw invalid(`${where}.filter_friendly_name`, 'must be a string');

  const expressionSource = raw['expression'];
  if (expressionSource === undefined || expressionSource === null) {
    throw invalid(`${where}.expression`, "required (use '1==1' to match every task)");
  }
  const expression = compileExpression(expressionSource, `${where}.expression`);

  const rawTargets = raw['targets'];
  if (rawTargets === undefined || rawTargets === null) throw invalid(`${where}.targets`, 'required');
  if (!Array.isArray(rawTargets)) throw invalid(`${where}.targets`, 'must be an array');
  if (rawTargets.length === 0) throw invalid(`${where}.targets`, 'must contain at least one target');
  const targets: CompiledTarget[] = [];
  rawTargets.forEach((rawTarget, i) => {
    const inherited = targets[i - 1]?.queueSid;
    targets.push(compileTarget(rawTarget, `${where}.targets[${i}]`, inherited, queueExists, false));
  });

  return { name, expression, expressionSource: expressionSource as string, targets };
}

function compileTarget(
  raw: unknown,
  where: string,
  inheritedQueueSid: string | undefined,
  queueExists: (sid: string) => boolean,
  isDefaultFilter: boolean,
): CompiledTarget {
  if (!isObject(raw)) throw invalid(where, 'must be an object');
  const missingQueue = isDefaultFilter ? 'required' : 'required on the first target of a filter';
  const queueSid = compileQueue(raw['queue'], `${where}.queue`, inheritedQueueSid, missingQueue, queueExists);
  const target: CompiledTarget = { queueSid };

  const priority = optionalInteger(raw['priority'], `${where}.priority`, 0);
  if (priority !== undefined) target.priority = priority;

  if (isDefaultFilter && isPresent(raw['timeout'])) {
    // The default filter is the last resort: there is nowhere for a task to go after it.
    throw invalid(`${where}.timeout`, 'not allowed on default_filter');
  }
  const timeout = optionalInteger(raw['timeout'], `${where}.timeout`, 1);
  if (timeout !== undefined) target.timeout = timeout;

  if (isPresent(raw['expression'])) {
    const source = raw['expression'];
    target.expression = compileExpression(source, `${where}.expression`, checkTargetExpressionPath);
    target.expressionSource = source as string;
  }

  if (isPresent(raw['order_by'])) target.orderBy = compileOrderBy(raw['order_by'], `${where}.order_by`);

  if (isPresent(raw['skip_if'])) {
    const source = raw['skip_if'];
    target.skipIf = compileExpression(source, `${where}.skip_if`, checkSkipIfPath);
    target.skipIfSource = source as string;
  }

  const knownSid = raw['known_worker_sid'];
  const knownName = raw['known_worker_friendly_name'];
  if (isPresent(knownSid) && isPresent(knownName)) {
    throw invalid(where, 'give at most one of known_worker_sid and known_worker_friendly_name');
  }
  if (isPresent(knownSid)) target.knownWorkerSid = compileTaskAttributePath(knownSid, `${where}.known_worker_sid`);
  if (isPresent(knownName)) {
    target.knownWorkerFriendlyName = compileTaskAttributePath(knownName, `${where}.known_worker_friendly_name`);
  }
  return target;
}

function compileQueue(
  raw: unknown,
  where: string,
  inheritedQueueSid: string | undefined,
  missingProblem: string,
  queueExists: (sid: string) => boolean,
): string {
  if (!isPresent(raw)) {
    if (inheritedQueueSid !== undefined) return inheritedQueueSid;
    throw invalid(where, missingProblem);
  }
  if (typeof raw !== 'string') throw invalid(where, 'must be a TaskQueue SID string');
  if (!queueExists(raw)) throw invalid(where, `unknown TaskQueue ${raw}`);
  return raw;
}

/** Parses an expression, naming `where` in the error, then lets `checkPath` reject paths the context cannot supply. */
function compileExpression(source: unknown, where: string, checkPath?: (path: string[]) => string | null): Expression {
  if (typeof source !== 'string') throw invalid(where, 'must be a string');
  const expression = parseAt(where, source, parseExpression);
  if (checkPath) {
    for (const path of referencedPaths(expression)) {
      const problem = checkPath(path);
      if (problem !== null) throw invalid(where, `${problem} in "${shorten(source)}"`);
    }
  }
  return expression;
}

function compileOrderBy(source: unknown, where: string): OrderByKey[] {
  if (typeof source !== 'string') throw invalid(where, 'must be a string');
  const keys = parseAt(where, source, parseOrderBy);
  for (const { path } of keys) {
    if (path.length < 2 || path[0] !== 'worker') {
      throw invalid(where, `'${path.join('.')}' must be a worker attribute (worker.<name>)`);
    }
  }
  return keys;
}

function compileTaskAttributePath(source: unknown, where: string): string[] {
  if (typeof source !== 'string') throw invalid(where, 'must be a string naming a task attribute, e.g. task.agent_sid');
  const path = parseAt(where, source, parseAttributePath);
  if (path.length < 2 || path[0] !== 'task') {
    throw invalid(where, `'${source}' must name a task attribute (task.<name>)`);
  }
  return path;
}

function checkTargetExpressionPath(path: string[]): string | null {
  if (path.length >= 2 && TARGET_EXPRESSION_ROOTS.has(path[0]!)) return null;
  return `attribute '${path.join('.')}' must start with task., worker. or taskrouter.`;
}

function checkSkipIfPath(path: string[]): string | null {
  if (path.length === 2 && path[0] === 'workers') return null;
  const name = path.join('.');
  return `'${name}' is not available here (use workers.available, workers.unavailable or workers.<ActivitySid>)`;
}

/** Runs one of the expression-language parsers, reporting a syntax error at `where`. */
function parseAt<T>(where: string, source: string, parse: (source: string) => T): T {
  try {
    return parse(source);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) throw invalid(where, `${error.detail} in "${error.excerpt}"`);
    throw error;
  }
}

/** An integer in `min`..2147483647, given as a JSON number or a string of digits; absent when null or missing. */
function optionalInteger(raw: unknown, where: string, min: number): number | undefined {
  if (!isPresent(raw)) return undefined;
  let value: number;
  if (typeof raw === 'number') value = raw;
  else if (typeof raw === 'string' && /^\s*[-+]?\d+\s*$/.test(raw)) value = Number(raw);
  else throw invalid(where, `must be an integer from ${min} to ${MAX_INTEGER}`);
  if (!Number.isInteger(value) || value < min || value > MAX_INTEGER) {
    throw invalid(where, `must be an integer from ${min} to ${MAX_INTEGER}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Expression text short enough to quote in a message. */
function shorten(source: string): string {
  return source.length > 80 ? source.slice(0, 79) + '…' : source;
}

function invalid(where: string, problem: string): TwilioError {
  return badRequest(`${where}: ${problem}`);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON null counts as absent, like a missing key. */
function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}
