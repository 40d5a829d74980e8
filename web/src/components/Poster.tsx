import type { Event } from '../api/models';

const PALETTE = [
  ['#6d28d9', '#db2777'],
  ['#0f766e', '#2563eb'],
  ['#b45309', '#dc2626'],
  ['#1d4ed8', '#7c3aed'],
  ['#be185d', '#f59e0b'],
  ['#047857', '#65a30d'],
];

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(h);
}

/** `srcset` of an uploaded poster's renditions (`url 320w, ...`), or undefined. */
export function posterSrcSet(images: Event['posterImages']): string | undefined {
  if (!images?.length) return undefined;
  return images.map((i) => `${i.url} ${i.width}w`).join(', ');
}

/** The event's poster (the browser picks the rendition that fits `sizes`), or a generated
 *  cover when it has none. */
export function Poster({
  event,
  className,
  sizes,
}: {
  event: Pick<Event, 'id' | 'title' | 'artist' | 'posterUrl'> & Partial<Pick<Event, 'posterImages'>>;
  className?: string;
  sizes?: string;
}) {
  if (event.posterUrl) {
    const srcSet = posterSrcSet(event.posterImages ?? []);
    return <img className={className} src={event.posterUrl} srcSet={srcSet} sizes={srcSet ? (sizes ?? '100vw') : undefined} alt="" loading="lazy" />;
  }
  const [a, b] = PALETTE[hash(event.id) % PALETTE.length];
  return (
    <div className={className} aria-hidden="true" style={{ background: `linear-gradient(135deg, ${a}, ${b})` }}>
      {event.artist || event.title}
    </div>
  );
}
