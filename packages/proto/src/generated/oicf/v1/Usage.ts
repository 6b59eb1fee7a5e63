// Original file: oicf/v1/common.proto


/**
 * Token accounting of one request, as in OpenAI's `usage`.
 */
export interface Usage {
  /**
   * tokens in the prompt
   */
  'numPromptTokens'?: (number);
  /**
   * tokens generated
   */
  'numCompletionTokens'?: (number);
  /**
   * prompt tokens whose KV came from a cache instead of prefill
   */
  'numCachedPromptTokens'?: (number);
}

/**
 * Token accounting of one request, as in OpenAI's `usage`.
 */
export interface Usage__Output {
  /**
   * tokens in the prompt
   */
  'numPromptTokens': (number);
  /**
   * tokens generated
   */
  'numCompletionTokens': (number);
  /**
   * prompt tokens whose KV came from a cache instead of prefill
   */
  'numCachedPromptTokens': (number);
}
