import { AxiosError, AxiosHeaders } from 'axios';
import { describe, expect, it } from 'vitest';

import { toApiError } from './client';

function axiosError(status: number, data: unknown, headers: Record<string, string> = {}) {
  const cfg = { headers: new AxiosHeaders() };
  return new AxiosError('fail', 'ERR', cfg as never, {}, { status, data, headers, statusText: '', config: cfg as never });
}

describe('error envelope', () => {
  it('reads per-field validation reasons into the fan\'s language', () => {
    const body = {
      error: {
        code: 'VALIDATION_FAILED',
        message: 'request is invalid',
        details: {
          fields: { email: 'email is not a valid address', name: 'must be at most 50 characters' },
          reasons: { email: { reason: 'invalid_email', params: {} }, name: { reason: 'too_long', params: { max: 50 } } },
        },
      },
    };
    const ko = toApiError(axiosError(422, body), 'ko');
    expect(ko.status).toBe(422);
    expect(ko.fields).toEqual({ email: '올바른 이메일 주소가 아닙니다.', name: '50자 이하로 입력해 주세요.' });
    expect(ko.message).toBe('입력 내용을 확인해 주세요.');
    expect(ko.serverMessage).toBe('request is invalid');
    const en = toApiError(axiosError(422, body), 'en');
    expect(en.fields).toEqual({ email: 'Not a valid e-mail address.', name: 'Use at most 50 characters.' });
    expect(en.reasons.name).toEqual({ reason: 'too_long', params: { max: 50 } });
  });

  it('also accepts flat field details without reasons', () => {
    const flat = axiosError(422, { error: { code: 'VALIDATION_FAILED', message: 'x', details: { startsAt: 'must be after saleEnd' } } });
    expect(toApiError(flat, 'en').fields).toEqual({ startsAt: 'must be after saleEnd' });
    expect(toApiError(flat, 'ko').fields).toEqual({ startsAt: '올바르지 않은 값입니다.' });
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

  it('names a network failure in the fan\'s language, never "Network Error"', () => {
    const err = new AxiosError('Network Error', 'ERR_NETWORK', { headers: new AxiosHeaders() } as never);
    const e = toApiError(err, 'ko');
    expect(e.code).toBe('NETWORK');
    expect(e.message).toContain('서버에 연결할 수 없습니다');
    expect(e.message).not.toContain('Network Error');
  });

  it('names timeouts and bare 5xx pages', () => {
    const timeout = new AxiosError('timeout of 20000ms exceeded', 'ECONNABORTED', { headers: new AxiosHeaders() } as never);
    expect(toApiError(timeout, 'en').code).toBe('TIMEOUT');
    expect(toApiError(timeout, 'en').message).toContain('taking too long');
    const proxy = toApiError(axiosError(502, '<html>Bad Gateway</html>'), 'ko');
    expect(proxy.code).toBe('SERVER_ERROR');
    expect(proxy.status).toBe(502);
    expect(proxy.message).toBe('서버에 일시적인 문제가 있습니다. 잠시 후 다시 시도해 주세요.');
  });
});
