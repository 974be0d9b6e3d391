import fc from 'fast-check';
import type { AbstractRequest, AuthSpec, BodySpec, HandleKind, Segment, Surface } from '../request-model.js';
import { encodeSegment } from '../resolve.js';
import { paramList } from './params.js';
import { handle, oddText } from './values.js';

/**
 * Every route of the TaskRouter API and the connector's API, with the parameters each reads, turned into requests
 * with any method, content type, body, header and query.
 */

/** A route: its path (handle kinds in capitals stand for records), and the parameters its body and query read. */
interface Route {
  path: Array<string | HandleKind>;
  body?: string[];
  query?: string[];
}

const LIST_QUERY = ['PageSize', 'Page', 'PageToken'];
const WINDOW = ['Minutes', 'StartDate', 'EndDate', 'TaskChannel', 'SplitByWaitTime'];
const INSTRUCTION = [
  'ReservationStatus',
  'WorkerActivitySid',
  'Instruction',
  'DequeueFrom',
  'DequeueTo',
  'DequeuePostWorkActivitySid',
  'CallFrom',
  'CallTo',
  'CallUrl',
  'RedirectCallSid',
  'RedirectUrl',
  'ConferenceStatusCallback',
  'DequeueStatusCallbackUrl',
  'PostWorkActivitySid',
  'Timeout',
];

const W = ['Workspaces', 'WS'] as const;

const API_ROUTES: Route[] = [
  {
    path: ['Workspaces'],
    body: ['FriendlyName', 'EventCallbackUrl', 'EventsFilter', 'MultiTaskEnabled', 'Template', 'PrioritizeQueueOrder'],
    query: ['FriendlyName', ...LIST_QUERY],
  },
  {
    path: [...W],
    body: ['FriendlyName', 'EventCallbackUrl', 'EventsFilter', 'MultiTaskEnabled', 'PrioritizeQueueOrder', 'DefaultActivitySid', 'TimeoutActivitySid'],
  },
  { path: [...W, 'Activities'], body: ['FriendlyName', 'Available'], query: ['FriendlyName', 'Available', ...LIST_QUERY] },
  { path: [...W, 'Activities', 'WA'], body: ['FriendlyName', 'Available'] },
  { path: [...W, 'TaskChannels'], body: ['FriendlyName', 'UniqueName', 'ChannelOptimizedRouting'], query: LIST_QUERY },
  { path: [...W, 'TaskChannels', 'TC'], body: ['FriendlyName', 'ChannelOptimizedRouting'] },
  { path: [...W, 'TaskChannels', 'CHANNEL_NAME'], body: ['FriendlyName', 'ChannelOptimizedRouting'] },
  {
    path: [...W, 'TaskQueues'],
    body: ['FriendlyName', 'TargetWorkers', 'MaxReservedWorkers', 'TaskOrder', 'ReservationActivitySid', 'AssignmentActivitySid'],
    query: ['FriendlyName', 'EvaluateWorkerAttributes', 'WorkerSid', 'Ordering', ...LIST_QUERY],
  },
  {
    path: [...W, 'TaskQueues', 'WQ'],
    body: ['FriendlyName', 'TargetWorkers', 'MaxReservedWorkers', 'TaskOrder', 'ReservationActivitySid', 'AssignmentActivitySid'],
  },
  { path: [...W, 'TaskQueues', 'Statistics'], query: [...WINDOW, 'FriendlyName', ...LIST_QUERY] },
  { path: [...W, 'TaskQueues', 'RealTimeStatistics'], body: ['QueueSids', 'TaskChannel'] },
  { path: [...W, 'TaskQueues', 'WQ', 'Statistics'], query: WINDOW },
  { path: [...W, 'TaskQueues', 'WQ', 'RealTimeStatistics'], query: ['TaskChannel'] },
  { path: [...W, 'TaskQueues', 'WQ', 'CumulativeStatistics'], query: WINDOW },
  {
    path: [...W, 'Workflows'],
    body: ['FriendlyName', 'Configuration', 'AssignmentCallbackUrl', 'FallbackAssignmentCallbackUrl', 'TaskReservationTimeout'],
    query: ['FriendlyName', ...LIST_QUERY],
  },
  {
    path: [...W, 'Workflows', 'WW'],
    body: ['FriendlyName', 'Configuration', 'AssignmentCallbackUrl', 'FallbackAssignmentCallbackUrl', 'TaskReservationTimeout', 'ReEvaluateTasks'],
  },
  { path: [...W, 'Workflows', 'WW', 'Statistics'], query: WINDOW },
  { path: [...W, 'Workflows', 'WW', 'RealTimeStatistics'], query: ['TaskChannel'] },
  { path: [...W, 'Workflows', 'WW', 'CumulativeStatistics'], query: WINDOW },
  {
    path: [...W, 'Workers'],
    body: ['FriendlyName', 'ActivitySid', 'Attributes'],
    query: ['ActivityName', 'ActivitySid', 'Available', 'FriendlyName', 'TargetWorkersExpression', 'TaskQueueName', 'TaskQueueSid', 'Ordering', ...LIST_QUERY],
  },
  { path: [...W, 'Workers', 'WK'], body: ['FriendlyName', 'ActivitySid', 'Attributes', 'RejectPendingReservations'] },
  { path: [...W, 'Workers', 'Statistics'], query: [...WINDOW, 'TaskQueueSid', 'TaskQueueName', 'FriendlyName'] },
  { path: [...W, 'Workers', 'RealTimeStatistics'], query: ['TaskChannel'] },
  { path: [...W, 'Workers', 'CumulativeStatistics'], query: WINDOW },
  { path: [...W, 'Workers', 'WK', 'Statistics'], query: WINDOW },
  { path: [...W, 'Workers', 'WK', 'Channels'], query: LIST_QUERY },
  { path: [...W, 'Workers', 'WK', 'Channels', 'TC'], body: ['Capacity', 'Available'] },
  { path: [...W, 'Workers', 'WK', 'Channels', 'CHANNEL_NAME'], body: ['Capacity', 'Available'] },
  { path: [...W, 'Workers', 'WK', 'Channels', 'WC'], body: ['Capacity', 'Available'] },
  { path: [...W, 'Workers', 'WK', 'Reservations'], query: ['ReservationStatus', ...LIST_QUERY] },
  { path: [...W, 'Workers', 'WK', 'Reservations', 'WR'], body: INSTRUCTION },
  {
    path: [...W, 'Tasks'],
    body: ['Attributes', 'Priority', 'TaskChannel', 'Timeout', 'WorkflowSid', 'VirtualStartTime', 'RoutingTarget', 'IgnoreCapacity', 'TaskQueueSid'],
    query: [
      'Priority',
      'AssignmentStatus',
      'WorkflowSid',
      'WorkflowName',
      'TaskQueueSid',
      'TaskQueueName',
      'EvaluateTaskAttributes',
      'Ordering',
      'HasAddons',
      'RoutingTarget',
      ...LIST_QUERY,
    ],
  },
  { path: [...W, 'Tasks', 'WT'], body: ['Attributes', 'AssignmentStatus', 'Reason', 'Priority', 'TaskChannel', 'VirtualStartTime'] },
  { path: [...W, 'Tasks', 'WT', 'QueuePosition'] },
  { path: [...W, 'Tasks', 'WT', 'Reservations'], query: ['ReservationStatus', 'WorkerSid', ...LIST_QUERY] },
  { path: [...W, 'Tasks', 'WT', 'Reservations', 'WR'], body: INSTRUCTION },
  {
    path: [...W, 'Events'],
    query: [
      'EventType',
      'Minutes',
      'StartDate',
      'EndDate',
      'Sid',
      'TaskChannel',
      'TaskSid',
      'WorkerSid',
      'ReservationSid',
      'TaskQueueSid',
      'WorkflowSid',
      ...LIST_QUERY,
    ],
  },
  { path: [...W, 'Events', 'EV'] },
  { path: [...W, 'Statistics'], query: WINDOW },
  { path: [...W, 'RealTimeStatistics'], query: ['TaskChannel'] },
  { path: [...W, 'CumulativeStatistics'], query: WINDOW },
];

const NUMBER_SETTINGS = [
  'number',
  'workspace_sid',
  'workflow_sid',
  'task_channel',
  'ivr_menu_sid',
  'hold_music_url',
  'max_queue_size',
  'when_no_workers',
  'announce_every_seconds',
  'announce_position',
  'announce_wait',
  'voicemail_max_seconds',
  'sms_task_channel',
  'FriendlyName',
];
const MENU_SETTINGS = ['unique_name', 'prompt', 'play_url', 'input', 'num_digits', 'timeout', 'retries', 'options'];

const CONNECTOR_ROUTES: Route[] = [
  { path: ['Connector', 'PhoneNumbers'], body: NUMBER_SETTINGS, query: LIST_QUERY },
  { path: ['Connector', 'PhoneNumbers', 'PN'], body: NUMBER_SETTINGS },
  { path: ['Connector', 'PhoneNumbers', 'E164'], body: NUMBER_SETTINGS },
  { path: ['Connector', 'IvrMenus'], body: MENU_SETTINGS, query: LIST_QUERY },
  { path: ['Connector', 'IvrMenus', 'IM'], body: MENU_SETTINGS },
  { path: ['Connector', 'IvrMenus', 'MENU_NAME'], body: MENU_SETTINGS },
  { path: ['Connector', 'Tokens'], body: ['Identity', 'WorkspaceSid', 'WorkerSid', 'Ttl'] },
  { path: ['Connector', 'MediaTokens'], body: ['Identity', 'TaskSid', 'Ttl'] },
  { path: ['Connector', 'Conversations', 'CH'] },
  { path: ['Connector', 'Conversations', 'WT'] },
  { path: ['Connector', 'Conversations', 'CH', 'Messages'], body: ['Body', 'MediaUrl', 'Author'], query: LIST_QUERY },
  { path: ['Connector', 'Listen'], query: ['TaskSid', 'Token'] },
  { path: ['Connector', 'AgentAudio'], query: ['Identity', 'Token'] },
];

const HANDLE_KINDS = new Set<string>(['WS', 'WA', 'WQ', 'WK', 'TC', 'WW', 'WT', 'WR', 'EV', 'WC', 'PN', 'IM', 'CH', 'E164', 'MENU_NAME', 'CHANNEL_NAME']);

/** Methods, weighted to the ones the API serves. */
export const method = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('GET', 'POST') },
  { weight: 1, arbitrary: fc.constantFrom('DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'SEARCH') },
);

/** Credentials: mostly good, else missing or every kind of garbage. */
export const auth: fc.Arbitrary<AuthSpec> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<AuthSpec>({ kind: 'good' }) },
  { weight: 1, arbitrary: fc.constant<AuthSpec>({ kind: 'none' }) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.constantFrom('Basic', 'Basic ', 'Basic ====', 'Basic Og==', 'Bearer abc', 'basic YTpi', 'Basic YWJj', 'Digest x', 'Basic ' + 'A'.repeat(12_000)),
        fc.string({ maxLength: 40 }).map((s) => 'Basic ' + Buffer.from(s).toString('base64')),
        headerText(60),
      )
      .map((value): AuthSpec => ({ kind: 'header', value })),
  },
);

/** Header values Node lets a client send: tabs, printable ASCII and Latin-1 bytes. */
export function headerText(maxLength: number): fc.Arbitrary<string> {
  return fc.string({
    unit: fc.oneof(
      fc.constantFrom('\t', ' ', '"', ',', ';', '=', '*', '\u00ff', '\u0080'),
      fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
    ),
    maxLength,
  });
}

/** Extra headers: If-Match in every shape, odd or huge values, duplicated content headers. */
export const extraHeaders: fc.Arbitrary<Array<[string, string]>> = fc.array(
  fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('"1"', 'W/"2"', '3', '*', '', '"', 'W/', '"9007199254740993"', '"-1"', '"abc"', '"1", "2"').map((v): [string, string] => ['If-Match', v]),
    headerText(30).map((v): [string, string] => ['If-Match', v]),
    fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown').map((v): [string, string] => ['Content-Encoding', v]),
    fc.constantFrom('application/json', '*/*', 'text/html').map((v): [string, string] => ['Accept', v]),
    fc.constantFrom('127.0.0.1', '[::1]', 'localhost:1', '').map((v): [string, string] => ['X-Forwarded-Host', v]),
    fc
      .integer({ min: 4_000, max: 20_000 })
      .chain((n) => fc.constantFrom<[string, string]>(['X-Padding', 'p'.repeat(n)], ['If-Match', 'p'.repeat(n / 4)], ['Accept', 'a'.repeat(n / 4)])),
    fc.tuple(
      headerText(12).filter((n) => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(n)),
      headerText(30),
    ),
  ),
  { maxLength: 3 },
);

/** Content types: the right ones, their odd spellings, wrong charsets, and ones no route reads. */
export const contentType = fc.constantFrom<string | null>(
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'APPLICATION/X-WWW-FORM-URLENCODED; charset=UTF-8',
  'application/x-www-form-urlencoded; charset=latin1',
  'application/x-www-form-urlencoded; charset=utf-16',
  'application/x-www-form-urlencoded; charset=nonsense',
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-32',
  'text/plain',
  'multipart/form-data; boundary=fuzzboundary',
  'application/xml',
  'application/octet-stream',
  '',
  null,
);

/** A body for the parameters a route reads, in any encoding, or none. */
export function body(names: readonly string[]): fc.Arbitrary<BodySpec> {
  const params = paramList(names);
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<BodySpec>({ encoding: 'none' }) },
    {
      weight: 8,
      arbitrary: fc
        .tuple(params, fc.oneof({ weight: 6, arbitrary: fc.constant('application/x-www-form-urlencoded') }, { weight: 1, arbitrary: contentType }))
        .map(([p, type]): BodySpec => ({ encoding: 'form', params: p, contentType: type })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(params, contentType)
        .map(([p, type]): BodySpec => ({ encoding: 'json', value: Object.fromEntries(p), contentType: type ?? 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.jsonValue({ maxDepth: 4 }), contentType).map(([value, type]): BodySpec => ({ encoding: 'json', value, contentType: type })),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1, max: 20_000 })
        .map((depth): BodySpec => ({ encoding: 'raw', text: '['.repeat(depth) + ']'.repeat(depth), contentType: 'application/json' })),
    },
    { weight: 1, arbitrary: params.map((p): BodySpec => ({ encoding: 'multipart', params: p, contentType: 'multipart/form-data; boundary=fuzzboundary' })) },
    { weight: 1, arbitrary: fc.tuple(oddText(200), contentType).map(([text, type]): BodySpec => ({ encoding: 'raw', text, contentType: type })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(oddText(50), fc.constantFrom('gzip', 'deflate', 'br'))
        .map(([text, enc]): BodySpec => ({ encoding: 'raw', text, contentType: 'application/x-www-form-urlencoded', contentEncoding: enc })),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1, max: 12_000 }).map((n): BodySpec => ({
        encoding: 'raw',
        text: Array.from({ length: n }, (_, i) => `k${i}=v`).join('&'),
        contentType: 'application/x-www-form-urlencoded',
      })),
    },
  );
}

/** Odd endings of a path: trailing slashes, dot segments, encodings, malformed percent escapes. */
const pathSuffix = fc.oneof(
  { weight: 12, arbitrary: fc.constant('') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '/',
      '//',
      '/.',
      '/..',
      '/%2e%2e',
      '/%',
      '/%ZZ',
      '/%00',
      '/%C0%AE',
      '/x',
      '.json',
      ';x',
      '/%E2%80%AE',
      '/Statistics',
      '/Reservations',
    ),
  },
);

function routeRequest(route: Route, surface: Surface): fc.Arbitrary<AbstractRequest> {
  const segments = fc.tuple(...route.path.map((part): fc.Arbitrary<Segment> => (HANDLE_KINDS.has(part) ? handle(part as HandleKind) : fc.constant(part))));
  return fc.record({
    surface: fc.constant(surface),
    method,
    path: segments.map((s) => ['v1', ...s]),
    pathSuffix,
    query: paramList(route.query ?? [], 4),
    auth,
    headers: extraHeaders,
    body: body(route.body ?? []),
    signature: fc.constant('none' as const),
    absoluteForm,
  });
}

/** Mostly origin form; now and then absolute form, as proxies send, with this server's origin or an odd one. */
export const absoluteForm: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 30, arbitrary: fc.constant(null) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'self',
      'self',
      'http://[::1',
      'http://x:99999',
      'http://@',
      'HTTP://127.0.0.1:1',
      'https://user:pw@127.0.0.1',
      'http://%',
      'ws://127.0.0.1',
      'http://127.0.0.1:1?',
      'foo:',
    ),
  },
);

/** Paths nobody serves, under /v1 and elsewhere. */
const strayRequest: fc.Arbitrary<AbstractRequest> = fc.record({
  surface: fc.constant<Surface>('other'),
  method,
  path: fc.oneof(
    fc.webPath().map((p) => p.split('/').filter(Boolean) as Segment[]),
    fc.array(oddText(12), { maxLength: 4 }).map((parts) => ['v1', ...parts.map(encodeSegment)] as Segment[]),
    fc.constantFrom<Segment[]>(['healthz'], ['readyz'], ['v1'], ['v2', 'Workspaces'], ['webhooks'], ['v1', 'Workspaces', '..', '..', 'etc']),
  ),
  pathSuffix,
  query: paramList([], 3),
  auth,
  headers: extraHeaders,
  body: body([]),
  signature: fc.constant('none' as const),
  absoluteForm,
});

/** Any request to the TaskRouter API, the connector's API, or a path nobody serves. */
export const apiRequest: fc.Arbitrary<AbstractRequest> = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...API_ROUTES).chain((r) => routeRequest(r, 'api')) },
  { weight: 4, arbitrary: fc.constantFrom(...CONNECTOR_ROUTES).chain((r) => routeRequest(r, 'connector')) },
  { weight: 1, arbitrary: strayRequest },
);
