import { describe, expect, it } from 'vitest';

import { etaMinutes, formatCountdown, remainingMs, urgency } from './countdown';

describe('hold countdown', () => {
  const expires = '2025-10-31T09:05:00+09:00';
  const at = (iso: string) => Date.parse(iso);

  it('counts down to expiresAt, whatever offset it is written in', () => {
    expect(remainingMs(expires, at('2025-10-31T00:00:00Z'))).toBe(300_000);
    expect(formatCountdown(remainingMs(expires, at('2025-10-31T00:00:00Z')))).toBe('5:00');
    expect(formatCountdown(remainingMs(expires, at('2025-10-31T00:04:50.5Z')))).toBe('0:10');
  });

  it('never goes below zero and says when it is over', () => {
    const ms = remainingMs(expires, at('2025-10-31T00:06:00Z'));
    expect(ms).toBe(0);
    expect(formatCountdown(ms)).toBe('0:00');
    expect(urgency(ms)).toBe('over');
    expect(urgency(59_000)).toBe('soon');
    expect(urgency(61_000)).toBe('ok');
  });

  it('corrects for a browser clock that runs behind the server', () => {
    // Browser 30 s slow: 30 s less remain than the browser clock suggests.
    expect(remainingMs(expires, at('2025-10-31T00:00:00Z'), 30_000)).toBe(270_000);
  });

  it('rounds up partial seconds so 0:00 means really over', () => {
    expect(formatCountdown(1)).toBe('0:01');
    expect(formatCountdown(3_723_000)).toBe('1:02:03');
  });

  it('gives an ETA in whole minutes, at least one', () => {
    expect(etaMinutes(null)).toBeNull();
    expect(etaMinutes(5)).toBe(1);
    expect(etaMinutes(125)).toBe(3);
  });
});
