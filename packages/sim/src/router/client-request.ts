// A request as the twin's router receives it from the client.
import type { SimPrompt } from '../prompts/prompt-blocks.js';

export interface ClientRequest {
  /** The trace's request id (also the router's id for it in the twin). */
  readonly requestId: string;
  readonly prompt: SimPrompt;
  readonly maxTokens: number;
  /** '' = none. */
  readonly sessionId: string;
  readonly sessionTtlSeconds: number;
}
