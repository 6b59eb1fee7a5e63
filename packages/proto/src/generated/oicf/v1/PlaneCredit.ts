// Original file: oicf/v1/request_plane.proto


/**
 * kind "plane.credit": the receiver may send `num_frames` more "decode.step" frames on this connection.
 */
export interface PlaneCredit {
  'numFrames'?: (number);
}

/**
 * kind "plane.credit": the receiver may send `num_frames` more "decode.step" frames on this connection.
 */
export interface PlaneCredit__Output {
  'numFrames': (number);
}
