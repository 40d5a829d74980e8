import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import { seatRefusal } from './reserve';

const t = (key: string, vars?: Record<string, string | number>) => `${key}${vars ? JSON.stringify(vars) : ''}`;
const refused = (code: string, details: Record<string, unknown> = {}) =>
  new ApiError(409, code, `text of ${code}`, {}, details, undefined, {}, 'server text');

describe('seatRefusal', () => {
  it('names the seats another fan took first and how many', () => {
    expect(seatRefusal(refused('SEAT_UNAVAILABLE', { seatIds: ['a', 'b'] }), 3, t)).toEqual({
      lost: ['a', 'b'],
      message: { kind: 'bad', text: 'seats.taken{"n":2}' },
    });
    // Without the seats named, the count is what the fan asked for.
    expect(seatRefusal(refused('SEAT_UNAVAILABLE'), 3, t).message?.text).toBe('seats.taken{"n":3}');
  });

  it('sends an expired admission back to the waiting room and explains the rest', () => {
    expect(seatRefusal(refused('QUEUE_TOKEN_INVALID'), 1, t)).toEqual({ backToQueue: true });
    expect(seatRefusal(refused('QUEUE_TOKEN_REQUIRED'), 1, t)).toEqual({ backToQueue: true });
    expect(seatRefusal(refused('ALREADY_HOLDING'), 1, t).message).toEqual({ kind: 'bad', text: 'seats.alreadyHolding', link: true });
    expect(seatRefusal(refused('EVENT_NOT_ON_SALE'), 1, t).message?.text).toBe('seats.notOnSale');
    expect(seatRefusal(refused('RATE_LIMITED'), 1, t).message?.text).toBe('text of RATE_LIMITED');
  });
});
