// Original file: oicf/v1/worker.proto

import type { Directive as _oicf_v1_Directive, Directive__Output as _oicf_v1_Directive__Output } from '../../oicf/v1/Directive.js';

export interface HeartbeatResponse {
  'acknowledged'?: (boolean);
  /**
   * in the order to apply them
   */
  'directives'?: (_oicf_v1_Directive)[];
  /**
   * when to send the next heartbeat
   */
  'nextHeartbeatSeconds'?: (number | string);
}

export interface HeartbeatResponse__Output {
  'acknowledged': (boolean);
  /**
   * in the order to apply them
   */
  'directives': (_oicf_v1_Directive__Output)[];
  /**
   * when to send the next heartbeat
   */
  'nextHeartbeatSeconds': (number);
}
