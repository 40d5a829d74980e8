// An event's title and artist in the UI's language: the English name when the UI speaks
// English and the event has one, else the Korean (the organizer's) name.
import type { Event } from '../api/types';

type Lang = 'ko' | 'en';
type Named = Pick<Event, 'title' | 'artist'> & Partial<Pick<Event, 'titleEn' | 'artistEn'>>;

export function eventTitle(event: Named, lang: Lang): string {
  return (lang === 'en' && event.titleEn?.trim()) || event.title;
}

export function eventArtist(event: Named, lang: Lang): string {
  return (lang === 'en' && event.artistEn?.trim()) || event.artist;
}
