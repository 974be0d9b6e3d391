import { pino, type Logger } from 'pino';
import { correlationFields, sendLogsTo, type LogLevel } from '../../src/telemetry/log.js';

/** One line of the server's log, parsed. */
export interface LogLine {
  level: number | string;
  msg: string;
  request_id?: string;
  [field: string]: unknown;
}

export interface CapturedLogs {
  /** Every line written since the capture began, oldest first. */
  lines: LogLine[];
  /** Sends lines where they went before. */
  restore(): void;
}

/** Collects what this process logs, from `level` up, until `restore()`. */
export function captureLogs(level: LogLevel = 'debug'): CapturedLogs {
  const lines: LogLine[] = [];
  const restore = sendLogsTo({ write: (line: string) => void lines.push(JSON.parse(line) as LogLine) }, level);
  return { lines, restore };
}

/** A logger of its own that keeps its lines, for a part that takes its logger as an option; its lines carry request ids too. */
export function memoryLogger(level: LogLevel = 'debug'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino(
    { level, mixin: correlationFields, formatters: { level: (label) => ({ level: label }) } },
    { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  );
  return { logger, lines };
}
