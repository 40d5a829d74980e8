import type { Lang } from './time';

export function formatKrw(amount: number, lang: Lang = 'ko'): string {
  const n = new Intl.NumberFormat(lang === 'ko' ? 'ko-KR' : 'en-US').format(amount);
  return lang === 'ko' ? `${n}원` : `₩${n}`;
}

export function formatNumber(n: number, lang: Lang = 'ko'): string {
  return new Intl.NumberFormat(lang === 'ko' ? 'ko-KR' : 'en-US').format(n);
}
