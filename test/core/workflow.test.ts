import { describe, expect, it } from 'vitest';
import { TwilioError } from '../../src/core/errors.js';
import { evaluateExpression } from '../../src/core/expression/index.js';
import { compileWorkflowConfiguration, configurationQueueSids, MAX_CONFIGURATION_BYTES } from '../../src/core/workflow/index.js';

const Q1 = 'WQ' + '1'.repeat(32);
const Q2 = 'WQ' + '2'.repeat(32);
const Q3 = 'WQ' + '3'.repeat(32);
const UNKNOWN = 'WQ' + 'f'.repeat(32);
const QUEUES = new Set([Q1, Q2, Q3]);
const queueExists = (sid: string): boolean => QUEUES.has(sid);

function compile(configuration: unknown) {
  return compileWorkflowConfiguration(typeof configuration === 'string' ? configuration : JSON.stringify(configuration), queueExists);
}

/** The 400 error a configuration is rejected with. */
function rejection(configuration: unknown): TwilioError {
  try {
    compile(configuration);
  } catch (error) {
    expect(error).toBeInstanceOf(TwilioError);
    const twilio = error as TwilioError;
    expect(twilio.code).toBe(20001);
    expect(twilio.status).toBe(400);
    return twilio;
  }
  throw new Error('expected the configuration to be rejected');
}

/** A configuration with one filter whose single target is `target`. */
function withTarget(target: Record<string, unknown>): unknown {
  return { task_routing: { filters: [{ filter_friendly_name: 'F', expression: '1==1', targets: [target] }] } };
}

describe('compileWorkflowConfiguration: happy path', () => {
  const configuration = {
    task_routing: {
      filters: [
        {
          filter_friendly_name: 'Gold Tickets',
          expression: "type == 'ticket' AND customer_value == 'Gold'",
          targets: [
            {
              queue: Q1,
              priority: 10,
              timeout: 300,
              expression: 'task.requested_agent == worker.agent_id',
              order_by: 'worker.english_level ASC, worker.tenure desc',
              skip_if: 'workers.available == 0',
            },
            { known_worker_sid: 'task.agent_sid', priority: '5' },
            { queue: Q2, known_worker_friendly_name: 'task.agent_name', timeout: '60' },
            { expression: "taskrouter.dayOfWeek == 'Sat' AND worker.sid != null" },
          ],
        },
        { expression: '1==1', targets: [{ queue: Q3 }], unknown_key: true },
      ],
      default_filter: { queue: Q3, priority: 1 },
      something_else: 'ignored',
    },
    top_level_extra: 1,
  };
  const workflow = compile(configuration);

  it('keeps filters in order with names and parsed expressions', () => {
    expect(workflow.filters.map((f) => f.name)).toEqual(['Gold Tickets', '']);
    const [gold] = workflow.filters;
    expect(gold!.expressionSource).toBe("type == 'ticket' AND customer_value == 'Gold'");
    expect(evaluateExpression(gold!.expression, { type: 'ticket', customer_value: 'Gold' })).toBe(true);
    expect(evaluateExpression(gold!.expression, { type: 'ticket', customer_value: 'Silver' })).toBe(false);
  });

  it('compiles every target key', () => {
    const first = workflow.filters[0]!.targets[0]!;
    expect(first.queueSid).toBe(Q1);
    expect(first.priority).toBe(10);
    expect(first.timeout).toBe(300);
    expect(first.expressionSource).toBe('task.requested_agent == worker.agent_id');
    expect(evaluateExpression(first.expression!, { task: { requested_agent: 'x' }, worker: { agent_id: 'x' } })).toBe(true);
    expect(first.orderBy).toEqual([
      { path: ['worker', 'english_level'], direction: 'ASC' },
      { path: ['worker', 'tenure'], direction: 'DESC' },
    ]);
    expect(first.skipIfSource).toBe('workers.available == 0');
    expect(evaluateExpression(first.skipIf!, { workers: { available: 0 } })).toBe(true);
    expect(first.knownWorkerSid).toBeUndefined();
  });

  it('inherits the queue from the previous target when omitted', () => {
    const targets = workflow.filters[0]!.targets;
    expect(targets.map((t) => t.queueSid)).toEqual([Q1, Q1, Q2, Q2]);
  });

  it('accepts priority and timeout as numeric strings', () => {
    const targets = workflow.filters[0]!.targets;
    expect(targets[1]!.priority).toBe(5);
    expect(targets[2]!.timeout).toBe(60);
  });

  it('reads known worker attribute paths', () => {
    const targets = workflow.filters[0]!.targets;
    expect(targets[1]!.knownWorkerSid).toEqual(['task', 'agent_sid']);
    expect(targets[2]!.knownWorkerFriendlyName).toEqual(['task', 'agent_name']);
  });

  it('leaves optional keys absent rather than undefined-valued', () => {
    const plain = workflow.filters[1]!.targets[0]!;
    expect(plain).toEqual({ queueSid: Q3 });
    expect(Object.keys(plain)).toEqual(['queueSid']);
  });

  it('compiles the default filter', () => {
    expect(workflow.defaultFilter).toEqual({ queueSid: Q3, priority: 1 });
  });

  it('lists every queue the workflow routes to', () => {
    expect(configurationQueueSids(workflow)).toEqual(new Set([Q1, Q2, Q3]));
  });

  it('default_filter and filters are both optional', () => {
    expect(compile({ task_routing: { filters: [] } })).toEqual({ filters: [] });
    expect(compile({ task_routing: {} })).toEqual({ filters: [] });
    expect(compile({ task_routing: { default_filter: { queue: Q1 } } })).toEqual({
      filters: [],
      defaultFilter: { queueSid: Q1 },
    });
    expect(configurationQueueSids(compile({ task_routing: {} }))).toEqual(new Set());
  });

  it('treats JSON null like an omitted optional key', () => {
    const compiled = compile(withTarget({ queue: Q1, priority: null, timeout: null, expression: null, order_by: null, skip_if: null }));
    expect(compiled.filters[0]!.targets[0]).toEqual({ queueSid: Q1 });
  });

  it('accepts the bounds of priority and timeout', () => {
    expect(compile(withTarget({ queue: Q1, priority: 0, timeout: 1 })).filters[0]!.targets[0]).toEqual({
      queueSid: Q1,
      priority: 0,
      timeout: 1,
    });
    expect(compile(withTarget({ queue: Q1, priority: 2147483647 })).filters[0]!.targets[0]!.priority).toBe(2147483647);
  });

  it('accepts a configuration exactly at the size limit', () => {
    const base = JSON.stringify({ task_routing: { default_filter: { queue: Q1 } }, pad: '' });
    const padded = base.replace('"pad":""', `"pad":"${'x'.repeat(MAX_CONFIGURATION_BYTES - base.length)}"`);
    expect(Buffer.byteLength(padded)).toBe(MAX_CONFIGURATION_BYTES);
    expect(compile(padded).defaultFilter?.queueSid).toBe(Q1);
  });
});

describe('compileWorkflowConfiguration: document shape', () => {
  it('rejects text that is not JSON', () => {
    expect(rejection('{"task_routing":').message).toMatch(/^configuration: not valid JSON/);
    expect(rejection('').message).toMatch(/^configuration: not valid JSON/);
  });

  it('rejects JSON that is not an object', () => {
    expect(rejection('[]').message).toBe('configuration: must be a JSON object');
    expect(rejection('null').message).toBe('configuration: must be a JSON object');
    expect(rejection('"x"').message).toBe('configuration: must be a JSON object');
  });

  it('rejects a configuration over 1,038,576 bytes, counting UTF-8 bytes', () => {
    const tooBig = JSON.stringify({ task_routing: {}, pad: 'x'.repeat(MAX_CONFIGURATION_BYTES) });
    expect(rejection(tooBig).message).toMatch(/^configuration: .*larger than the limit of 1038576 bytes/);
    const multiByte = JSON.stringify({ task_routing: {}, pad: 'é'.repeat(MAX_CONFIGURATION_BYTES / 2) });
    expect(multiByte.length).toBeLessThan(MAX_CONFIGURATION_BYTES);
    expect(rejection(multiByte).message).toMatch(/larger than the limit/);
  });

  it('requires task_routing to be an object', () => {
    expect(rejection({}).message).toBe('task_routing: required');
    expect(rejection({ task_routing: null }).message).toBe('task_routing: required');
    expect(rejection({ task_routing: [] }).message).toBe('task_routing: must be an object');
    expect(rejection({ task_routing: 'x' }).message).toBe('task_routing: must be an object');
  });

  it('requires filters to be an array of objects', () => {
    expect(rejection({ task_routing: { filters: {} } }).message).toBe('task_routing.filters: must be an array');
    expect(rejection({ task_routing: { filters: 'x' } }).message).toBe('task_routing.filters: must be an array');
    expect(rejection({ task_routing: { filters: [1] } }).message).toBe('task_routing.filters[0]: must be an object');
  });

  it('requires filter_friendly_name, when given, to be a string', () => {
    const filter = { filter_friendly_name: 3, expression: '1==1', targets: [{ queue: Q1 }] };
    const configuration = { task_routing: { filters: [filter] } };
    expect(rejection(configuration).message).toBe('task_routing.filters[0].filter_friendly_name: must be a string');
  });

  it('requires a filter expression', () => {
    const configuration = { task_routing: { filters: [{ targets: [{ queue: Q1 }] }] } };
    expect(rejection(configuration).message).toMatch(/^task_routing\.filters\[0\]\.expression: required/);
    const notString = { task_routing: { filters: [{ expression: 1, targets: [{ queue: Q1 }] }] } };
    expect(rejection(notString).message).toBe('task_routing.filters[0].expression: must be a string');
  });

  it('requires targets to be a non-empty array of objects', () => {
    const filter = (targets: unknown) => ({ task_routing: { filters: [{ expression: '1==1', targets }] } });
    expect(rejection({ task_routing: { filters: [{ expression: '1==1' }] } }).message).toBe('task_routing.filters[0].targets: required');
    expect(rejection(filter({ queue: Q1 })).message).toBe('task_routing.filters[0].targets: must be an array');
    expect(rejection(filter([])).message).toBe('task_routing.filters[0].targets: must contain at least one target');
    expect(rejection(filter([{ queue: Q1 }, 'x'])).message).toBe('task_routing.filters[0].targets[1]: must be an object');
  });

  it('requires default_filter, when given, to be an object', () => {
    expect(rejection({ task_routing: { default_filter: [Q1] } }).message).toBe('task_routing.default_filter: must be an object');
  });
});

describe('compileWorkflowConfiguration: queues', () => {
  it('requires a queue on the first target', () => {
    expect(rejection(withTarget({ priority: 1 })).message).toBe('task_routing.filters[0].targets[0].queue: required on the first target of a filter');
  });

  it('does not inherit a queue across filters', () => {
    const configuration = {
      task_routing: {
        filters: [
          { expression: '1==1', targets: [{ queue: Q1 }] },
          { expression: '1==1', targets: [{ timeout: 5 }] },
        ],
      },
    };
    expect(rejection(configuration).message).toBe('task_routing.filters[1].targets[0].queue: required on the first target of a filter');
  });

  it('rejects unknown queues, naming them', () => {
    const configuration = {
      task_routing: {
        filters: [
          { expression: '1==1', targets: [{ queue: Q1 }] },
          { expression: '1==1', targets: [{ queue: Q1 }, { queue: UNKNOWN }] },
        ],
      },
    };
    expect(rejection(configuration).message).toBe(`task_routing.filters[1].targets[1].queue: unknown TaskQueue ${UNKNOWN}`);
  });

  it('rejects a queue that is not a string', () => {
    expect(rejection(withTarget({ queue: 5 })).message).toBe('task_routing.filters[0].targets[0].queue: must be a TaskQueue SID string');
  });

  it('requires a known queue on the default filter', () => {
    expect(rejection({ task_routing: { default_filter: {} } }).message).toBe('task_routing.default_filter.queue: required');
    expect(rejection({ task_routing: { default_filter: { queue: UNKNOWN } } }).message).toBe(`task_routing.default_filter.queue: unknown TaskQueue ${UNKNOWN}`);
  });
});

describe('compileWorkflowConfiguration: priority and timeout', () => {
  const where = 'task_routing.filters[0].targets[0]';

  it.each([
    ['a negative number', -1],
    ['a fraction', 1.5],
    ['a value above 2147483647', 2147483648],
    ['a non-numeric string', 'high'],
    ['a decimal string', '1.5'],
    ['a negative string', '-3'],
    ['a boolean', true],
    ['an array', [1]],
    ['an empty string', ''],
  ])('rejects priority given as %s', (_, priority) => {
    expect(rejection(withTarget({ queue: Q1, priority })).message).toMatch(new RegExp(`^${escape(where)}\\.priority: must be an integer from 0 to 2147483647`));
  });

  it.each([
    ['zero', 0],
    ['a negative number', -10],
    ['a fraction', 2.5],
    ['a string of letters', 'soon'],
    ['an object', {}],
  ])('rejects timeout given as %s', (_, timeout) => {
    expect(rejection(withTarget({ queue: Q1, timeout })).message).toMatch(new RegExp(`^${escape(where)}\\.timeout: must be an integer from 1 to 2147483647`));
  });

  it('rejects a timeout on the default filter', () => {
    expect(rejection({ task_routing: { default_filter: { queue: Q1, timeout: 30 } } }).message).toBe(
      'task_routing.default_filter.timeout: not allowed on default_filter',
    );
  });
});

describe('compileWorkflowConfiguration: expressions', () => {
  it('reports a syntax error in a filter expression with its location and position', () => {
    const configuration = {
      task_routing: {
        filters: [
          { expression: '1==1', targets: [{ queue: Q1 }] },
          { expression: 'a == )', targets: [{ queue: Q1 }] },
        ],
      },
    };
    const message = rejection(configuration).message;
    expect(message).toMatch(/^task_routing\.filters\[1\]\.expression: unexpected '\)'.* at position 5 \(0-based\)/);
    expect(message).toContain('"a == )"');
  });

  it('rejects an empty filter expression', () => {
    const configuration = { task_routing: { filters: [{ expression: '', targets: [{ queue: Q1 }] }] } };
    expect(rejection(configuration).message).toMatch(/^task_routing\.filters\[0\]\.expression: empty expression/);
  });

  it('reports a syntax error in a target expression', () => {
    expect(rejection(withTarget({ queue: Q1, expression: 'worker.skills HAS' })).message).toMatch(
      /^task_routing\.filters\[0\]\.targets\[0\]\.expression: unexpected end of expression.* at position 17 \(0-based\)/,
    );
  });

  it('requires target expression attributes to be prefixed', () => {
    expect(rejection(withTarget({ queue: Q1, expression: "language == 'en'" })).message).toMatch(
      /^task_routing\.filters\[0\]\.targets\[0\]\.expression: attribute 'language' must start with task\., worker\. or taskrouter\./,
    );
    expect(rejection(withTarget({ queue: Q1, expression: "worker == 'x'" })).message).toMatch(/attribute 'worker' must start/);
  });

  it('requires expression values to be strings', () => {
    expect(rejection(withTarget({ queue: Q1, expression: true })).message).toBe('task_routing.filters[0].targets[0].expression: must be a string');
    expect(rejection(withTarget({ queue: Q1, skip_if: 1 })).message).toBe('task_routing.filters[0].targets[0].skip_if: must be a string');
    expect(rejection(withTarget({ queue: Q1, order_by: ['worker.a'] })).message).toBe('task_routing.filters[0].targets[0].order_by: must be a string');
  });

  it('reports a syntax error in skip_if', () => {
    expect(rejection(withTarget({ queue: Q1, skip_if: 'workers.available ==' })).message).toMatch(
      /^task_routing\.filters\[0\]\.targets\[0\]\.skip_if: unexpected end of expression.* at position 20 \(0-based\)/,
    );
  });

  it('accepts skip_if over workers counts and the always-true idiom', () => {
    const target = compile(withTarget({ queue: Q1, skip_if: 'workers.available == 0 AND workers.WA0123 < 2 OR workers.unavailable > 1 OR 1==1' })).filters[0]!
      .targets[0]!;
    expect(target.skipIf).toBeDefined();
  });

  it('rejects skip_if attributes other than workers counts', () => {
    expect(rejection(withTarget({ queue: Q1, skip_if: 'task.priority > 1' })).message).toMatch(
      /^task_routing\.filters\[0\]\.targets\[0\]\.skip_if: 'task\.priority' is not available here/,
    );
    expect(rejection(withTarget({ queue: Q1, skip_if: 'workers == 0' })).message).toMatch(/'workers' is not available/);
  });

  it('reports a syntax error in order_by', () => {
    expect(rejection(withTarget({ queue: Q1, order_by: 'worker.level UPWARDS' })).message).toMatch(
      /^task_routing\.filters\[0\]\.targets\[0\]\.order_by: unexpected 'UPWARDS'.* at position 13 \(0-based\)/,
    );
    expect(rejection(withTarget({ queue: Q1, order_by: '' })).message).toMatch(/order_by: empty expression/);
  });

  it('requires order_by keys to be worker attributes', () => {
    expect(rejection(withTarget({ queue: Q1, order_by: 'worker.a ASC, task.b DESC' })).message).toBe(
      "task_routing.filters[0].targets[0].order_by: 'task.b' must be a worker attribute (worker.<name>)",
    );
  });

  it('reports errors in the default filter too', () => {
    expect(rejection({ task_routing: { default_filter: { queue: Q1, expression: 'worker.a ==' } } }).message).toMatch(
      /^task_routing\.default_filter\.expression: unexpected end of expression/,
    );
  });

  it('shortens a very long expression in the message', () => {
    const long = '1==1 AND '.repeat(500) + ')';
    const configuration = { task_routing: { filters: [{ expression: long, targets: [{ queue: Q1 }] }] } };
    expect(rejection(configuration).message.length).toBeLessThan(300);
  });
});

describe('compileWorkflowConfiguration: known workers', () => {
  const where = 'task_routing.filters[0].targets[0]';

  it('rejects both known_worker_sid and known_worker_friendly_name', () => {
    expect(rejection(withTarget({ queue: Q1, known_worker_sid: 'task.a', known_worker_friendly_name: 'task.b' })).message).toBe(
      `${where}: give at most one of known_worker_sid and known_worker_friendly_name`,
    );
  });

  it('requires the value to be a task attribute path', () => {
    expect(rejection(withTarget({ queue: Q1, known_worker_sid: 'worker.sid' })).message).toBe(
      `${where}.known_worker_sid: 'worker.sid' must name a task attribute (task.<name>)`,
    );
    expect(rejection(withTarget({ queue: Q1, known_worker_friendly_name: 'task' })).message).toBe(
      `${where}.known_worker_friendly_name: 'task' must name a task attribute (task.<name>)`,
    );
    expect(rejection(withTarget({ queue: Q1, known_worker_sid: 'WK0123' })).message).toMatch(/must name a task attribute/);
  });

  it('rejects values that are not paths', () => {
    expect(rejection(withTarget({ queue: Q1, known_worker_sid: "task.agent_sid == 'x'" })).message).toMatch(
      new RegExp(`^${escape(where)}\\.known_worker_sid: unexpected '=='.* at position 15 \\(0-based\\)`),
    );
    expect(rejection(withTarget({ queue: Q1, known_worker_sid: 7 })).message).toMatch(new RegExp(`^${escape(where)}\\.known_worker_sid: must be a string`));
  });

  it('accepts indexed task attribute paths', () => {
    const target = compile(withTarget({ queue: Q1, known_worker_sid: 'task.agents[0]' })).filters[0]!.targets[0]!;
    expect(target.knownWorkerSid).toEqual(['task', 'agents', '0']);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
