import { describe, expect, it } from 'vitest';

import { formatEventTime, fromZonedInput, offsetMinutes, toZonedInput, zoneAbbreviation } from './time';

describe('event time zones', () => {
  it('shows an instant in the event zone with the zone named, whatever the process zone', () => {
    // 00:00 UTC is 09:00 in Seoul.
    const s = formatEventTime('2025-10-31T00:00:00Z', 'Asia/Seoul', 'en');
    expect(s).toMatch(/09:00 KST$/);
    expect(s).toContain('Oct 31, 2025');
    expect(formatEventTime('2025-10-31T09:00:00+09:00', 'Asia/Seoul', 'ko')).toMatch(/2025년 10월 31일.*09:00 KST$/);
  });

  it('names daylight-saving zones by their abbreviation at that instant', () => {
    expect(zoneAbbreviation('America/New_York', Date.parse('2025-01-15T12:00:00Z'))).toBe('EST');
    expect(zoneAbbreviation('America/New_York', Date.parse('2025-07-15T12:00:00Z'))).toBe('EDT');
    expect(formatEventTime('2025-07-04T23:30:00Z', 'America/New_York', 'en')).toMatch(/19:30 EDT$/);
  });

  it('reads a date input as wall clock in the event zone, not the browser zone', () => {
    expect(fromZonedInput('2025-10-31T09:00', 'Asia/Seoul')).toBe('2025-10-31T09:00:00+09:00');
    expect(fromZonedInput('2025-10-31T09:00', 'America/New_York')).toBe('2025-10-31T09:00:00-04:00');
    expect(fromZonedInput('2025-12-01T09:00', 'America/New_York')).toBe('2025-12-01T09:00:00-05:00');
    expect(fromZonedInput('2025-10-31 09:00', 'Asia/Seoul')).toBeNull();
  });

  it('refuses a wall clock that a spring-forward gap skips', () => {
    // 02:30 does not exist in New York on 2025-03-09.
    expect(fromZonedInput('2025-03-09T02:30', 'America/New_York')).toBeNull();
    expect(fromZonedInput('2025-03-09T03:30', 'America/New_York')).toBe('2025-03-09T03:30:00-04:00');
  });

  it('round-trips an instant through the zoned input', () => {
    const iso = '2026-03-01T18:45:00+09:00';
    expect(toZonedInput(iso, 'Asia/Seoul')).toBe('2026-03-01T18:45');
    expect(toZonedInput(iso, 'UTC')).toBe('2026-03-01T09:45');
    expect(fromZonedInput(toZonedInput(iso, 'Asia/Seoul'), 'Asia/Seoul')).toBe('2026-03-01T18:45:00+09:00');
  });

  it('knows offsets', () => {
    expect(offsetMinutes(Date.parse('2025-06-01T00:00:00Z'), 'Asia/Seoul')).toBe(540);
    expect(offsetMinutes(Date.parse('2025-06-01T00:00:00Z'), 'America/New_York')).toBe(-240);
  });
});
