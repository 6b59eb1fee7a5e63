// Original file: oicf/v1/worker.proto


export interface RegisterResponse {
  'accepted'?: (boolean);
  /**
   * why not accepted ("" when accepted)
   */
  'reason'?: (string);
  /**
   * how often to send Heartbeat
   */
  'heartbeatIntervalSeconds'?: (number | string);
}

export interface RegisterResponse__Output {
  'accepted': (boolean);
  /**
   * why not accepted ("" when accepted)
   */
  'reason': (string);
  /**
   * how often to send Heartbeat
   */
  'heartbeatIntervalSeconds': (number);
}
