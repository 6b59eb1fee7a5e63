// What the request pipeline hands to the front doors.
import type { RejectReason, RoutingSummary } from '@oicf/sched';
import type { LogprobEntry } from '../core/logprob-format.js';
import type { OicfInfo } from '../core/openai-format.js';
import type { ClientSignal } from './client-abort.js';

/** Tokens relayed to the client. The first event is the first token (TTFT is measured there). */
export interface TokensEvent {
  readonly kind: 'tokens';
  readonly tokenIds: readonly number[];
  /** Text completed by these tokens; incomplete UTF-8 characters are held back for the next event. */
  readonly text: string;
  readonly first: boolean;
  /** When the router relayed them (its clock, seconds). */
  readonly atSeconds: number;
  /** One per token id when the request asked for logprobs (computed by the worker's sampler). */
  readonly logprobs?: readonly LogprobEntry[];
}

/** The end of a successful generation. */
export interface DoneEvent {
  readonly kind: 'done';
  readonly finishReason: 'stop' | 'length';
  /** Held-back text flushed at the end ('' normally; U+FFFD for a dangling partial character). */
  readonly text: string;
  readonly numPromptTokens: number;
  readonly numCompletionTokens: number;
  readonly numCachedTokens: number;
  readonly info: OicfInfo;
  /** Every generated token id, for non-streamed replies. */
  readonly tokenIds: readonly number[];
}

export type StreamEvent = TokensEvent | DoneEvent;

/**
 * The outcome of admission. Rejections, requests no worker could ever hold and "no workers" are values
 * (the front door maps them to 429 / 400 / 503 or the matching gRPC and WebSocket errors); an accepted
 * request yields its events once started.
 * Failures after admission throw OicfError from the event iterator.
 */
export type AdmissionResult =
  | {
      readonly kind: 'reject';
      readonly reason: RejectReason;
      readonly message: string;
      readonly retryAfterSeconds: number;
      readonly policy: string;
    }
  | { readonly kind: 'unavailable'; readonly message: string; readonly retryAfterSeconds?: number }
  /** Valid on its own but longer than any decode worker's sequence limit: `field` is prompt or max_tokens. */
  | { readonly kind: 'invalid'; readonly field: string; readonly message: string }
  | {
      readonly kind: 'accepted';
      readonly routing: RoutingSummary;
      /** Starts the request; abort `signal` when the client goes away (the decode worker gets a Cancel). */
      run(signal: ClientSignal): AsyncGenerator<StreamEvent, void, undefined>;
      /**
       * Starts the request and hands each event to `sink` (the same pipeline as `run`, no generator between);
       * resolves once it ended, rejects with the error the client sees.
       */
      runTo(signal: ClientSignal, sink: EventSink): Promise<void>;
    };

/** Takes one event; a promise when the client must catch up before the next one (event-sink.ts). */
export type EventSink = (event: StreamEvent) => Promise<void> | undefined;
