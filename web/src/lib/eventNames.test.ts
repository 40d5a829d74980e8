import { describe, expect, it } from 'vitest';

import { eventArtist, eventTitle } from './eventNames';

const nova = { title: '노바 월드투어', artist: '노바', titleEn: 'NOVA World Tour', artistEn: 'NOVA' };

describe('event names', () => {
  it('follow the UI language', () => {
    expect(eventTitle(nova, 'ko')).toBe('노바 월드투어');
    expect(eventTitle(nova, 'en')).toBe('NOVA World Tour');
    expect(eventArtist(nova, 'en')).toBe('NOVA');
  });

  it('fall back to the Korean name when there is no English one', () => {
    expect(eventTitle({ ...nova, titleEn: '' }, 'en')).toBe('노바 월드투어');
    expect(eventArtist({ title: 'x', artist: '김하늘' }, 'en')).toBe('김하늘');
  });
});
