import type { SequenceOutput__Output, TokenLogprob__Output } from '@oicf/proto';
import { OicfError } from '@oicf/transport';
import { describe, expect, it } from 'vitest';
import { DecodeRelay } from './decode-relay.js';

/** An output as the channel delivers it (the frame codec fills every field). */
function output(
  firstTokenIndex: number,
  tokenIds: number[],
  finish = 'FINISH_REASON_UNSPECIFIED',
  logprobs: TokenLogprob__Output[] = [],
): SequenceOutput__Output {
  return {
    firstTokenIndex,
    chunk: {
      requestId: 'r',
      tokenIds,
      text: Buffer.alloc(0),
      finishReason: finish as never,
      emittedAfterSeconds: 0.25,
      stepSeconds: 0,
      usage: null,
      timings: null,
      error: null,
      logprobs,
    },
  };
}

/** A sampled token's logprob with no alternatives. */
const lp = (tokenId: number, logprob: number): TokenLogprob__Output => ({ tokenId, logprob, topLogprobs: [] });

const relay = (next = 0, onFirst = () => {}, onLast = () => {}) =>
  new DecodeRelay('r', next, 0, onFirst, onLast, (awaited) => new OicfError('DEADLINE_EXCEEDED', `no ${awaited}`));

describe('DecodeRelay', () => {
  it('merges outputs that arrive before the relay is read into one batch, in index order', () => {
    let firsts = 0;
    const r = relay(0, () => firsts++);
    r.onOutput(output(0, [10]));
    r.onOutput(output(1, [11, 12]));
    expect(r.waiting()).toBeUndefined();
    expect(r.take(100)).toEqual([10, 11, 12]);
    expect(r.numRelayed).toBe(3);
    expect(firsts).toBe(1);
    expect(r.firstChunkAfterSeconds).toBe(0.25);
  });

  it('drops tokens it already relayed (a replay from an earlier index) and keeps the new ones', () => {
    const r = relay();
    r.onOutput(output(0, [10, 11]));
    r.take(100);
    // A resumed stream replays from index 1: 11 is a duplicate, 12 and 13 are new.
    r.onOutput(output(1, [11, 12, 13]));
    expect(r.take(100)).toEqual([12, 13]);
    expect(r.numRelayed).toBe(4);
  });

  it('starts at index 1 after a remote prefill (index 0 was the prefill worker’s token)', () => {
    const r = relay(1);
    r.onOutput(output(1, [20], 'FINISH_REASON_STOP'));
    expect(r.take(100)).toEqual([20]);
    expect(r.final?.finishReason).toBe('FINISH_REASON_STOP');
    expect(r.settled).toBe(true);
  });

  it('fails on a gap: a token that never arrived is never skipped silently', () => {
    const r = relay();
    r.onOutput(output(0, [10]));
    r.onOutput(output(3, [13]));
    expect(r.take(100)).toEqual([10]);
    expect(r.error?.message).toBe('tokens 1–2 of request r never arrived (next came at 3)');
    // Not settled: the worker still runs it, so the router cancels it.
    expect(r.settled).toBe(false);
  });

  it('turns an error output into the worker’s error, and an idle limit into the idle error', () => {
    const failed = relay();
    const error = output(0, [], 'FINISH_REASON_ERROR');
    (error.chunk as { error: unknown }).error = { code: 'RESOURCE_EXHAUSTED', message: 'kv full', field: '' };
    failed.onOutput(error);
    expect([failed.error?.code, failed.error?.message, failed.settled]).toEqual([
      'RESOURCE_EXHAUSTED',
      'kv full',
      true,
    ]);
    const idle = relay();
    idle.onIdle();
    expect(idle.error?.message).toBe('no first chunk');
  });

  it('keeps each token’s logprob with its id: merged in order, dropped with a replayed id', () => {
    const r = relay();
    r.onOutput(output(0, [10], 'FINISH_REASON_UNSPECIFIED', [lp(10, -0.5)]));
    r.onOutput(output(1, [11], 'FINISH_REASON_UNSPECIFIED', [lp(11, -1.5)]));
    expect(r.take(100)).toEqual([10, 11]);
    expect(r.takeLogprobs(2)?.map((e) => [e.tokenId, e.logprob])).toEqual([
      [10, -0.5],
      [11, -1.5],
    ]);
    // A replay from index 1: 11 and its logprob were relayed already; 12's is new.
    r.onOutput(output(1, [11, 12], 'FINISH_REASON_UNSPECIFIED', [lp(11, -1.5), lp(12, -0.25)]));
    expect(r.take(100)).toEqual([12]);
    expect(r.takeLogprobs(1)?.map((e) => e.tokenId)).toEqual([12]);
    // Outputs without logprobs (the request did not ask): none to take.
    r.onOutput(output(3, [13]));
    expect(r.take(100)).toEqual([13]);
    expect(r.takeLogprobs(1)).toBeUndefined();
  });

  it('hands a backlog out in takes of at most `max` tokens, logprobs alongside, and reports the last output at once', () => {
    let lasts = 0;
    const r = relay(
      0,
      () => {},
      () => lasts++,
    );
    r.onOutput(output(0, [1, 2, 3], 'FINISH_REASON_UNSPECIFIED', [lp(1, -1), lp(2, -2), lp(3, -3)]));
    r.onOutput(output(3, [4, 5], 'FINISH_REASON_LENGTH', [lp(4, -4), lp(5, -5)]));
    // The worker is done although nothing was taken yet.
    expect([lasts, r.settled]).toEqual([1, true]);
    const takes: Array<[number[], number[] | undefined]> = [];
    while (r.hasPending) {
      const ids = r.take(2);
      takes.push([ids, r.takeLogprobs(ids.length)?.map((e) => e.tokenId)]);
    }
    expect(takes).toEqual([
      [
        [1, 2],
        [1, 2],
      ],
      [
        [3, 4],
        [3, 4],
      ],
      [[5], [5]],
    ]);
  });

  it('wakes a waiting reader when output arrives', async () => {
    const r = relay();
    const wait = r.waiting();
    expect(wait).toBeInstanceOf(Promise);
    r.onOutput(output(0, [7]));
    await wait;
    expect(r.take(100)).toEqual([7]);
  });
});
