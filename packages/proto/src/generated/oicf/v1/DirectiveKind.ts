// Original file: oicf/v1/worker.proto

export const DirectiveKind = {
  DIRECTIVE_KIND_UNSPECIFIED: 'DIRECTIVE_KIND_UNSPECIFIED',
  /**
   * the router does not know this worker: send Register again
   */
  DIRECTIVE_KIND_REREGISTER: 'DIRECTIVE_KIND_REREGISTER',
  /**
   * stop taking new work, finish what is running
   */
  DIRECTIVE_KIND_DRAIN: 'DIRECTIVE_KIND_DRAIN',
  /**
   * take new work again after a DRAIN
   */
  DIRECTIVE_KIND_RESUME: 'DIRECTIVE_KIND_RESUME',
} as const;

export type DirectiveKind =
  | 'DIRECTIVE_KIND_UNSPECIFIED'
  | 0
  /**
   * the router does not know this worker: send Register again
   */
  | 'DIRECTIVE_KIND_REREGISTER'
  | 1
  /**
   * stop taking new work, finish what is running
   */
  | 'DIRECTIVE_KIND_DRAIN'
  | 2
  /**
   * take new work again after a DRAIN
   */
  | 'DIRECTIVE_KIND_RESUME'
  | 3

export type DirectiveKind__Output = typeof DirectiveKind[keyof typeof DirectiveKind]
