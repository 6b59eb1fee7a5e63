import { describe, expect, it } from 'vitest';
import { NO_PRETENURING, routerV8Flags } from './gc-settings.js';

describe('routerV8Flags', () => {
  it('turns allocation-site pretenuring off when nothing on the command line names it', () => {
    expect(NO_PRETENURING).toBe('--no-allocation-site-pretenuring');
    expect(routerV8Flags([], undefined)).toEqual([NO_PRETENURING]);
    // Other flags, and flags that only share a prefix, leave the default to the router.
    expect(routerV8Flags(['--enable-source-maps', '--max-semi-space-size=16'], '--max-old-space-size=512')).toEqual([
      NO_PRETENURING,
    ]);
    expect(routerV8Flags(['--allocation-site-pretenuring-extra'], '')).toEqual([NO_PRETENURING]);
  });

  it('leaves the setting to the command line or NODE_OPTIONS when either names it, either way', () => {
    expect(routerV8Flags(['--allocation-site-pretenuring'], undefined)).toEqual([]);
    expect(routerV8Flags(['--no-allocation-site-pretenuring'], undefined)).toEqual([]);
    // V8 accepts underscores for dashes, and NODE_OPTIONS is a space-separated list.
    expect(routerV8Flags([], '--max-old-space-size=512  --allocation_site_pretenuring')).toEqual([]);
    expect(routerV8Flags(['--allocation-site-pretenuring=true'], undefined)).toEqual([]);
  });
});
