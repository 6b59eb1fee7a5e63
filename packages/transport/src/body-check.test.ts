// Paths of problems found below the top level (nested messages, elements of repeated fields): the checker
// builds them only when it finds a problem, by prefixing on the way out, and they must read as before.
import { loadProtoRoot } from '@oicf/proto';
import { describe, expect, it } from 'vitest';
import { checkMessage } from './body-check.js';

const step = loadProtoRoot().lookupType('oicf.v1.DecodeStep');
const ok = { firstTokenIndex: 0, chunk: { requestId: 'r', tokenIds: [1, 2, 3] } };

describe('checkMessage paths', () => {
  it('names a bad element of a repeated field inside a nested message inside a repeated one', () => {
    const bad = { firstTokenIndex: 1, chunk: { requestId: 'r', tokenIds: [1, 2, -3] } };
    expect(checkMessage(step, { outputs: [ok, bad] }, 'body')).toEqual({
      field: 'body.outputs[1].chunk.tokenIds[2]', // outputs → element 1 → chunk → token_ids → element 2
      problem: 'expected a uint32 (integer 0..4294967295), got number -3',
    });
  });

  it('names an unknown key and a non-object at their nested paths', () => {
    const unknown = checkMessage(step, { outputs: [{ ...ok, chunk: { ...ok.chunk, bogus: 1 } }] }, 'body');
    expect(unknown?.field).toBe('body.outputs[0].chunk.bogus');
    expect(unknown?.problem).toMatch(/^unknown field; TokenChunk has requestId, tokenIds, /);
    expect(checkMessage(step, { outputs: [{ chunk: 'x' }] }, 'body')).toEqual({
      field: 'body.outputs[0].chunk',
      problem: 'expected a TokenChunk object, got the string "x"',
    });
    expect(checkMessage(step, { outputs: [ok, ok] }, 'body')).toBeUndefined();
    expect(checkMessage(step, { outputs: [7] }, '')?.field).toBe('outputs[0]'); // at the top: no leading dot
  });
});
