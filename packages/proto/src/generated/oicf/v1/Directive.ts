// Original file: oicf/v1/worker.proto

import type { DirectiveKind as _oicf_v1_DirectiveKind, DirectiveKind__Output as _oicf_v1_DirectiveKind__Output } from '../../oicf/v1/DirectiveKind.js';

export interface Directive {
  'kind'?: (_oicf_v1_DirectiveKind);
  'reason'?: (string);
}

export interface Directive__Output {
  'kind': (_oicf_v1_DirectiveKind__Output);
  'reason': (string);
}
