import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { currentRequestId } from './log-context.js';
import { REDACTED, REDACTED_PATHS } from './log-redaction.js';

export type { Logger };

/** LOG_LEVEL's values, most talkative first. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** LOG_FORMAT: one JSON object a line, lines for people, or pretty on a terminal outside production and JSON elsewhere. */
export type LogFormat = 'json' | 'pretty' | 'auto';

/**
 * Fields every line gets from where it is written: the id of the request being served, and the trace and span ids
 * of the active span when an OpenTelemetry SDK records one (only the API is read here: without an SDK there is none).
 */
export function correlationFields(): Record<string, string> {
  const fields: Record<string, string> = {};
  const requestId = currentRequestId();
  if (requestId) fields.request_id = requestId;
  const span = trace.getActiveSpan();
  if (span?.isRecording()) {
    const context = span.spanContext();
    fields.trace_id = context.traceId;
    fields.span_id = context.spanId;
    fields.trace_flags = `0${context.traceFlags.toString(16)}`;
  }
  return fields;
}

function isLogLevel(value: string | undefined): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value ?? '');
}

/**
 * Before the configuration is read: LOG_LEVEL when it is valid, otherwise info, but silent when NODE_ENV=test, so an
 * in-process server under test stays quiet unless a test asks for its lines.
 */
function initialLevel(): LogLevel {
  if (isLogLevel(process.env.LOG_LEVEL)) return process.env.LOG_LEVEL;
  return process.env.NODE_ENV === 'test' ? 'silent' : 'info';
}

/**
 * JSON lines are gathered until this many bytes wait, or for at most LOG_FLUSH_MS, and written together. Written one
 * at a time, the access lines of 500 requests a second took 12 % of the server's core in writes to stdout (the push
 * benchmark's profile; docs/performance.md, "The REST path"); gathered, under 1 %. A line reaches stdout at most
 * LOG_FLUSH_MS late; pino writes what is still gathered when the process exits.
 */
const LOG_BATCH_BYTES = 4096;
const LOG_FLUSH_MS = 250;

/** The JSON destination, once made: start-up lines are flushed at once rather than LOG_FLUSH_MS later. */
let jsonStdout: ReturnType<typeof pino.destination> | null = null;

function jsonToStdout(): DestinationStream {
  jsonStdout ??= pino.destination({ dest: 1, sync: false, minLength: LOG_BATCH_BYTES, periodicFlush: LOG_FLUSH_MS });
  return jsonStdout;
}

function prettyToStdout(): DestinationStream {
  return pretty({ colorize: Boolean(process.stdout.isTTY), translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true, destination: 1 });
}

let destination: DestinationStream = jsonToStdout();

/** The options both loggers share: level, correlation fields, field names and time format. */
function loggerOptions(): pino.LoggerOptions<never> {
  return {
    level: initialLevel(),
    mixin: correlationFields,
    formatters: { level: (label) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
}

// Where lines go is chosen once the configuration is read, and tests may read them: the loggers write through this.
const throughDestination: DestinationStream = { write: (line: string) => destination.write(line) };

/** The process's logger: every module logs through it, with domain fields (`task_sid`, `workspace_sid`…) as fields. */
export const log: Logger = pino({ ...loggerOptions(), redact: { paths: REDACTED_PATHS, censor: REDACTED } }, throughDestination);

/**
 * The access lines' logger: the same lines, without the redaction pass, which costs several times what writing a
 * line does and would find nothing in an access line, whose fields are fixed and whose target is scrubbed before it
 * is logged (`scrubbedTarget`; docs/performance.md, "The REST path"). Its level follows `log`'s.
 */
export const accessLog: Logger = pino(loggerOptions(), throughDestination);

function setLevel(level: string): void {
  log.level = level;
  accessLog.level = level;
}

/** Applies LOG_LEVEL and LOG_FORMAT. `auto`: pretty outside production when stdout is a terminal, JSON otherwise. */
export function configureLogs(settings: { level: LogLevel; format: LogFormat; production: boolean }): void {
  setLevel(settings.level);
  const pretty = settings.format === 'pretty' || (settings.format === 'auto' && !settings.production && Boolean(process.stdout.isTTY));
  destination = pretty ? prettyToStdout() : jsonToStdout();
}

/** Sends the log's lines (JSON) to `stream` at `level` until the returned function puts things back. */
export function sendLogsTo(stream: DestinationStream, level: LogLevel): () => void {
  const previous = { destination, level: log.level };
  destination = stream;
  setLevel(level);
  return () => {
    destination = previous.destination;
    setLevel(previous.level);
  };
}

/**
 * A start-up line an operator needs whatever the level (the port it listens on, generated credentials): written at
 * info even when LOG_LEVEL asks only for warnings, and left out only when the log is silent.
 */
export function announce(message: string, fields: Record<string, unknown> = {}): void {
  if (log.level === 'silent') return;
  const logger = log.isLevelEnabled('info') ? log : log.child({}, { level: 'info' });
  logger.info(fields, message);
  if (destination === jsonStdout) jsonStdout.flush();
}
