import { describe, expect, it } from 'vitest';
import { PrefillQueue } from './prefill-queue.js';

describe('PrefillQueue bound', () => {
  it('refuses a prompt past maxWaiting at once with RESOURCE_EXHAUSTED; room again once one starts', async () => {
    const q = new PrefillQueue(2);
    let release: () => void = () => {};
    const running = q.run(10, undefined, () => new Promise<void>((r) => (release = r)));
    const waiting = [q.run(1, undefined, async () => {}), q.run(1, undefined, async () => {})];
    await new Promise((r) => setImmediate(r));
    expect(q.numWaiting).toBe(2);
    await expect(q.run(1, undefined, async () => {})).rejects.toMatchObject({
      code: 'RESOURCE_EXHAUSTED',
      message: expect.stringMatching(/2 prompts waiting/),
    });
    release();
    await Promise.all([running, ...waiting]);
    await expect(q.run(1, undefined, async () => 'ok')).resolves.toBe('ok');
  });
});
