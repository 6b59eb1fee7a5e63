import { TRACE_FORMATS, type TraceErrorCode } from '@oicf/traces';

/**
 * The hint printed under a trace read error: which flag helps depends on the error. Bad lines can be
 * skipped; a format that auto-detection cannot tell (or an empty file, which has nothing to detect
 * from) needs --format, or a different file.
 */
export function traceErrorHint(code: TraceErrorCode): string {
  switch (code) {
    case 'invalid-line':
    case 'invalid-field':
      return '(use --skip-bad-lines to drop malformed lines)';
    case 'invalid-header':
      return `(check the header line, or name the format with --format: ${TRACE_FORMATS.join(', ')})`;
    case 'unknown-format':
      return `(name the format with --format: ${TRACE_FORMATS.join(', ')})`;
    case 'empty-trace':
      return `(the file has no requests; is it the right file? the readable formats are ${TRACE_FORMATS.join(', ')}, chosen with --format)`;
    default:
      return '(see docs/traces.md for the accepted formats)';
  }
}
