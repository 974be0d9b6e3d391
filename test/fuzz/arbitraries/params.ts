import fc from 'fast-check';
import type { Value } from '../request-model.js';
import { anyText, attributesText, boolText, callbackUrlText, configurationText, dateText, expressionLike, handle, numberText, oddText } from './values.js';

/**
 * Parameter names the server reads (TaskRouter PascalCase, the connector's snake_case, Twilio's webhook parameters),
 * each with values of its type in and out of range, and names nobody reads (prototype keys, `a[b][c]` nesting).
 */

const word = (...words: string[]) => fc.constantFrom(...words);
const text = anyText();

/** Values by parameter name; a name not listed gets any text. */
const BY_NAME: Record<string, fc.Arbitrary<Value>> = {
  FriendlyName: fc.oneof(word('Support', 'Ready', 'Away', 'voice', 'Everyone'), text),
  UniqueName: fc.oneof(word('voice', 'sms', 'default', 'chat', 'custom1'), text),
  Attributes: attributesText(),
  EvaluateWorkerAttributes: attributesText(),
  Priority: numberText(),
  Timeout: numberText(),
  Capacity: numberText(),
  MaxReservedWorkers: numberText(),
  TaskReservationTimeout: numberText(),
  Ttl: numberText(),
  Page: numberText(),
  PageSize: numberText(),
  Minutes: numberText(),
  Available: boolText(),
  MultiTaskEnabled: boolText(),
  ChannelOptimizedRouting: boolText(),
  RejectPendingReservations: boolText(),
  IgnoreCapacity: boolText(),
  HasAddons: boolText(),
  ReEvaluateTasks: boolText(),
  VirtualStartTime: dateText(),
  StartDate: dateText(),
  EndDate: dateText(),
  WorkspaceSid: handle('WS'),
  ActivitySid: handle('WA'),
  DefaultActivitySid: handle('WA'),
  TimeoutActivitySid: handle('WA'),
  WorkerActivitySid: handle('WA'),
  ReservationActivitySid: handle('WA'),
  AssignmentActivitySid: handle('WA'),
  PostWorkActivitySid: handle('WA'),
  DequeuePostWorkActivitySid: handle('WA'),
  TaskQueueSid: handle('WQ'),
  QueueSids: handle('WQ'),
  WorkerSid: handle('WK'),
  WorkflowSid: handle('WW'),
  TaskSid: handle('WT'),
  ReservationSid: handle('WR'),
  Sid: handle('EV'),
  TaskChannel: fc.oneof(handle('TC'), handle('CHANNEL_NAME')),
  AssignmentStatus: fc.oneof(word('pending', 'reserved', 'assigned', 'canceled', 'completed', 'wrapping', 'pending,reserved'), text),
  ReservationStatus: fc.oneof(word('accepted', 'rejected', 'completed', 'wrapping', 'canceled', 'timeout', 'pending'), text),
  Instruction: fc.oneof(word('dequeue', 'call', 'redirect', 'conference', 'supervise', 'accept', 'reject'), text),
  TaskOrder: word('FIFO', 'LIFO', 'fifo', ''),
  PrioritizeQueueOrder: word('FIFO', 'LIFO', 'x'),
  Template: word('NONE', 'FIFO', 'x'),
  Ordering: fc.oneof(
    word('DateCreated:asc', 'DateCreated:desc,Priority:asc', 'Priority', 'FriendlyName:desc', 'DateCreated:up', 'x', ':', ',,,', 'Priority:asc:desc'),
    text,
  ),
  EventsFilter: fc.oneof(word('task.created', 'task.created,reservation.accepted', 'nonsense', ''), text),
  EventType: fc.oneof(word('task.created', 'reservation.created,task.canceled'), text),
  SplitByWaitTime: fc.oneof(word('5,30', '10', '-1', '1,1,1', '9999999999', ''), text),
  TargetWorkers: expressionLike(),
  TargetWorkersExpression: expressionLike(),
  EvaluateTaskAttributes: expressionLike(),
  Configuration: configurationText(),
  EventCallbackUrl: callbackUrlText(),
  AssignmentCallbackUrl: callbackUrlText(),
  FallbackAssignmentCallbackUrl: callbackUrlText(),
  CallUrl: callbackUrlText(),
  RedirectUrl: callbackUrlText(),
  CallStatusCallbackUrl: callbackUrlText(),
  DequeueStatusCallbackUrl: callbackUrlText(),
  ConferenceStatusCallback: callbackUrlText(),
  RedirectCallSid: handle('CA'),
  DequeueTo: fc.oneof(word('client:alice', 'stream:alice', '+15005550006', 'sip:a@127.0.0.1', 'client:'), text),
  CallTo: fc.oneof(word('client:alice', 'stream:alice', '+15005550006'), text),
  DequeueFrom: fc.oneof(handle('E164'), text),
  CallFrom: fc.oneof(handle('E164'), text),
  Identity: fc.oneof(word('alice', 'bob_1', 'a.b@c-d', ''), text),
  Body: text,
  Author: text,
  MediaUrl: callbackUrlText(),
  // The connector's settings (snake_case on the wire, PascalCase from form clients).
  number: fc.oneof(handle('E164'), word('+15551234567', '+1', '15551234567', '+999999999999999999')),
  workspace_sid: handle('WS'),
  workflow_sid: handle('WW'),
  task_channel: fc.oneof(handle('CHANNEL_NAME'), handle('TC')),
  sms_task_channel: fc.oneof(handle('CHANNEL_NAME'), handle('TC')),
  ivr_menu_sid: fc.oneof(handle('IM'), handle('MENU_NAME')),
  unique_name: fc.oneof(word('main', 'sales'), text),
  prompt: text,
  play_url: callbackUrlText(),
  hold_music_url: callbackUrlText(),
  input: fc.oneof(word('dtmf', 'speech', 'dtmf,speech', '["dtmf"]'), text),
  num_digits: numberText(),
  retries: numberText(),
  timeout: numberText(),
  max_queue_size: numberText(),
  announce_every_seconds: numberText(),
  voicemail_max_seconds: numberText(),
  announce_position: boolText(),
  announce_wait: boolText(),
  when_no_workers: word('queue', 'voicemail', 'message', 'x'),
  options: fc.oneof(
    fc
      .array(
        fc.record({
          digits: fc.oneof(word('1', '2', '#', '*'), text),
          speech: fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }),
          attributes: fc.oneof(
            fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
            fc.integer({ min: 4_000, max: 20_000 }).map((n) => ({ pad: 'x'.repeat(n) })),
          ),
          next_menu_sid: fc.option(handle('IM'), { nil: undefined }),
        }),
        { maxLength: 4 },
      )
      .map((value): Value => ({ use: 'json', value })),
    // Attributes nested deeper than any recursive copy or serialization can follow.
    fc.integer({ min: 1_000, max: 60_000 }).map((depth) => `[{"digits":"1","attributes":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}]`),
    text,
  ),
};

/** Names every route may read, plus names none reads. */
export const PARAM_NAMES = Object.keys(BY_NAME);

const STRANGE_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__proto__[polluted]',
  'constructor[prototype][polluted]',
  'Attributes[a][b][c]',
  'FriendlyName[]',
  'FriendlyName[0]',
  'Priority[x]',
  'a'.repeat(300),
  '',
  ' ',
  'é',
  'x[' + '['.repeat(40),
  '[]',
  'a[b][c][d][e][f][g][h][i][j][k][l][m][n][o][p][q][r][s][t][u][v][w][x][y][z][aa][bb][cc][dd][ee][ff][gg]',
];

/** A value for parameter `name`: typed when the name is known, else any text. */
export function valueFor(name: string): fc.Arbitrary<Value> {
  const typed = Object.hasOwn(BY_NAME, name) ? BY_NAME[name] : undefined;
  return typed ? fc.oneof({ weight: 4, arbitrary: typed }, { weight: 1, arbitrary: oddText(20) }) : anyText();
}

/** A list of parameters: mostly the names a route reads, sometimes repeated, sometimes strange. */
export function paramList(names: readonly string[], maxLength = 6): fc.Arbitrary<Array<[string, Value]>> {
  const name = fc.oneof(
    { weight: 6, arbitrary: names.length > 0 ? fc.constantFrom(...names) : fc.constantFrom(...PARAM_NAMES) },
    { weight: 2, arbitrary: fc.constantFrom(...PARAM_NAMES) },
    { weight: 1, arbitrary: fc.constantFrom(...STRANGE_NAMES) },
  );
  return fc.array(
    name.chain((n) => valueFor(n).map((v): [string, Value] => [n, v])),
    { maxLength },
  );
}
