// Event times are shown in the event's own IANA zone, never the browser's, with the zone
// named, and admin date inputs are wall-clock times in the event's zone.

/** Abbreviations ICU lacks for common zones (it prints "GMT+9" for Seoul). */
const ZONE_ABBREVIATIONS: Record<string, string> = {
  'Asia/Seoul': 'KST',
  'Asia/Tokyo': 'JST',
  'Asia/Shanghai': 'CST',
  'Asia/Taipei': 'CST',
  'Asia/Hong_Kong': 'HKT',
  'Asia/Singapore': 'SGT',
  'Asia/Kolkata': 'IST',
  'Australia/Sydney': 'AEST/AEDT',
  UTC: 'UTC',
  'Etc/UTC': 'UTC',
};

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partsCache = new Map<string, Intl.DateTimeFormat>();
function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let f = partsCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsCache.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at instant `ms`. */
export function wallClock(ms: number, timeZone: string): WallClock {
  const out: Record<string, number> = {};
  for (const p of partsFormat(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year,
    month: out.month,
    day: out.day,
    hour: out.hour === 24 ? 0 : out.hour,
    minute: out.minute,
    second: out.second,
  };
}

/** Minutes east of UTC of `timeZone` at instant `ms`. */
export function offsetMinutes(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** Short zone name: KST for Seoul, EST/EDT for New York, else what ICU says. */
export function zoneAbbreviation(timeZone: string, ms: number = Date.now()): string {
  if (ZONE_ABBREVIATIONS[timeZone]) return ZONE_ABBREVIATIONS[timeZone];
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })
    .formatToParts(new Date(ms))
    .find((p) => p.type === 'timeZoneName')?.value;
  return name ?? timeZone;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export type Lang = 'ko' | 'en';

/** "2025년 10월 31일 (금) 09:00 KST" / "Fri, Oct 31, 2025, 09:00 KST" in the event's zone. */
export function formatEventTime(iso: string, timeZone: string, lang: Lang = 'ko'): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const date = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-US', {
    timeZone,
    year: 'numeric',
    month: lang === 'ko' ? 'long' : 'short',
    day: 'numeric',
    weekday: 'short',
  }).format(new Date(ms));
  const w = wallClock(ms, timeZone);
  return `${date} ${pad(w.hour)}:${pad(w.minute)} ${zoneAbbreviation(timeZone, ms)}`;
}

/** Date only, in the event's zone. */
export function formatEventDate(iso: string, timeZone: string, lang: Lang = 'ko'): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-US', {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
  }).format(new Date(ms));
}

/** Value for `<input type="datetime-local">`: the instant's wall clock in `timeZone`. */
export function toZonedInput(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const w = wallClock(ms, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** The instant (RFC 3339 with the zone's offset) that wall clock `local` means in
 *  `timeZone`, independent of the browser's zone; null if `local` is malformed or does not
 *  exist there (a daylight-saving gap, which the server refuses too). */
export function fromZonedInput(local: string, timeZone: string): string | null {
  const m = LOCAL_RE.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  const wallAsUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  // Two passes settle the offset for every zone rule except the gap itself.
  let guess = wallAsUtc - offsetMinutes(wallAsUtc, timeZone) * 60_000;
  guess = wallAsUtc - offsetMinutes(guess, timeZone) * 60_000;
  const off = offsetMinutes(guess, timeZone);
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  const w = wallClock(guess, timeZone);
  if (w.year !== y || w.month !== mo || w.day !== d || w.hour !== h || w.minute !== mi) return null;
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** True if the zone is one the browser knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
