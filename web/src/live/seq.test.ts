import { describe, expect, it } from 'vitest';

import { SeqTracker } from './seq';

const d = (seq: number) => ({ seq, seatIds: [`s${seq}`] });

describe('seq ordering of seat deltas', () => {
  it('applies the next delta and drops duplicates and older ones', () => {
    const t = new SeqTracker<ReturnType<typeof d>>();
    expect(t.reset(10)).toEqual([]);
    expect(t.push(d(11))).toEqual([d(11)]);
    expect(t.push(d(11))).toEqual([]);
    expect(t.push(d(5))).toEqual([]);
    expect(t.current).toBe(11);
    expect(t.hasGap).toBe(false);
  });

  it('holds deltas behind a gap and releases them when the hole fills', () => {
    const t = new SeqTracker<ReturnType<typeof d>>();
    t.reset(1);
    expect(t.push(d(3))).toEqual([]);
    expect(t.push(d(4))).toEqual([]);
    expect(t.hasGap).toBe(true);
    expect(t.push(d(2))).toEqual([d(2), d(3), d(4)]);
    expect(t.hasGap).toBe(false);
    expect(t.current).toBe(4);
  });

  it('after a refetch applies only buffered deltas newer than the snapshot', () => {
    const t = new SeqTracker<ReturnType<typeof d>>();
    t.reset(1);
    t.push(d(5)); // gap: 2..4 lost
    expect(t.hasGap).toBe(true);
    t.invalidate();
    expect(t.push(d(6))).toEqual([]); // buffered while refetching
    // The snapshot already contains 5.
    expect(t.reset(5)).toEqual([d(6)]);
    expect(t.hasGap).toBe(false);
  });

  it('a snapshot older than buffered deltas still reports the gap', () => {
    const t = new SeqTracker<ReturnType<typeof d>>();
    t.invalidate();
    t.push(d(9));
    expect(t.reset(7)).toEqual([]);
    expect(t.hasGap).toBe(true);
  });

  it('bounds the buffer', () => {
    const t = new SeqTracker<ReturnType<typeof d>>(3);
    t.reset(0);
    for (let i = 2; i < 10; i++) t.push(d(i));
    expect(t.reset(1).length).toBeLessThanOrEqual(3);
  });
});
