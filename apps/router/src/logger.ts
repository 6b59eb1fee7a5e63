// JSON-lines logger: one object per line {ts, level, service, event, ...fields} on the given sink
// (stdout in main.ts, an array in tests). Lines below the configured level are dropped before any
// formatting, so debug logging of routing terms costs nothing at level info.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly level: LogLevel;
  enabled(level: LogLevel): boolean;
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(level: LogLevel, service: string, write: (line: string) => void): Logger {
  const enabled = (l: LogLevel) => RANK[l] >= RANK[level];
  const log =
    (l: LogLevel) =>
    (event: string, fields: LogFields = {}) => {
      if (!enabled(l)) return;
      write(JSON.stringify({ ts: new Date().toISOString(), level: l, service, event, ...fields }));
    };
  return { level, enabled, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
