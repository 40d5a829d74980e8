import { AxiosError, AxiosHeaders } from 'axios';
import { describe, expect, it } from 'vitest';

import { toApiError } from './client';

function axiosError(status: number, data: unknown, headers: Record<string, string> = {}) {
  const cfg = { headers: new AxiosHeaders() };
  return new AxiosError('fail', 'ERR', cfg as never, {}, { status, data, headers, statusText: '', config: cfg as never });
}

describe('error envelope', () => {
  it('reads per-field validation messages', () => {
    const e = toApiError(
      axiosError(422, { error: { code: 'VALIDATION_FAILED', message: 'request is invalid', details: { fields: { email: 'email is not a valid address' } } } }),
    );
    expect(e.status).toBe(422);
    expect(e.fields).toEqual({ email: 'email is not a valid address' });
  });

  it('also accepts flat field details', () => {
    const e = toApiError(axiosError(422, { error: { code: 'VALIDATION_FAILED', message: 'x', details: { startsAt: 'must be after saleEnd' } } }));
    expect(e.fields).toEqual({ startsAt: 'must be after saleEnd' });
  });

  it('keeps code, details and Retry-After', () => {
    const e = toApiError(
      axiosError(409, { error: { code: 'SEAT_UNAVAILABLE', message: 'taken', details: { seatIds: ['a'] } } }, { 'retry-after': '2' }),
    );
    expect(e.code).toBe('SEAT_UNAVAILABLE');
    expect(e.details.seatIds).toEqual(['a']);
    expect(e.retryAfter).toBe(2);
    expect(e.fields).toEqual({});
  });

  it('names a network failure', () => {
    const err = new AxiosError('Network Error', 'ERR_NETWORK', { headers: new AxiosHeaders() } as never);
    expect(toApiError(err).code).toBe('NETWORK');
  });
});
