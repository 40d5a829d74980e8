// The top of every seat page: the event's title, venue and local start time, and the
// admission window's countdown for fans who came through the waiting room.
import type { EventDetail } from '../api/models';
import { Countdown } from '../components/common';
import { useI18n } from '../i18n/I18n';
import { admissions, type Admission } from '../lib/admission';
import { eventTitle } from '../lib/eventNames';
import { formatEventTime } from '../lib/time';

export function SeatPageHeading({ eventId, event, admission }: { eventId: string; event?: EventDetail['event']; admission: Admission | null }) {
  const { t, lang } = useI18n();
  return (
    <>
      {event && (
        <>
          <h1>{eventTitle(event, lang)}</h1>
          <p className="muted">
            {event.venue} · {formatEventTime(event.startsAt, event.timezone, lang)}
          </p>
        </>
      )}
      {admission && (
        <div className="notice good row">
          <span className="grow">{t('queue.windowLeft')}</span>
          <Countdown expiresAt={admission.expiresAt} label={t('queue.windowLeft')} onExpire={() => admissions.clear(eventId)} />
        </div>
      )}
    </>
  );
}
