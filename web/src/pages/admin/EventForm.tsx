import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router-dom';

import { api, ApiError } from '../../api/client';
import type { Event, EventInput, Layout, QueueSettings } from '../../api/models';
import { ErrorNotice, Field, Loading } from '../../components/common';
import { useI18n } from '../../i18n/I18n';
import { formatEventTime, fromZonedInput, isValidTimeZone, toZonedInput, zoneAbbreviation } from '../../lib/time';
import { CancelEventDialog } from './AdminEvents';
import { PosterUpload } from './PosterUpload';

const ZONES = ['Asia/Seoul', 'Asia/Tokyo', 'Asia/Shanghai', 'Asia/Singapore', 'Europe/London', 'Europe/Paris', 'America/New_York', 'America/Los_Angeles', 'Australia/Sydney', 'UTC'];

interface TicketRow {
  name: string;
  price: string;
  quantity: string;
}

interface Form {
  title: string;
  titleEn: string;
  artist: string;
  artistEn: string;
  category: string;
  venue: string;
  address: string;
  description: string;
  posterUrl: string;
  timezone: string;
  startsAt: string;
  saleStart: string;
  saleEnd: string;
  seating: 'reserved' | 'general';
  layoutId: string;
  ticketTypes: TicketRow[];
  queue: QueueSettings;
  /** Empty: no cap / no proof-of-work. */
  maxTicketsPerFan: string;
  powDifficulty: string;
  /** Reserved seating: the price typed for each grade (layout section), by its name. */
  gradePrices: Record<string, string>;
}

/** A grade of the layout with the price it has now (the layout's, or the event's). */
interface Grade {
  name: string;
  price: number;
}

/** A limit field's text as the API takes it: a number, or null when empty. */
const limit = (v: string) => (v.trim() === '' ? null : Number(v));

const DEFAULT_QUEUE: QueueSettings = { enabled: false, strategy: 'rate', ratePerMinute: 200, maxActive: 500, windowSeconds: 600, prequeueMinutes: 30, shuffle: true };

function fromEvent(e: Event): Form {
  return {
    title: e.title,
    titleEn: e.titleEn,
    artist: e.artist,
    artistEn: e.artistEn,
    category: e.category,
    venue: e.venue,
    address: e.address,
    description: e.description,
    posterUrl: e.posterUrl ?? '',
    timezone: e.timezone,
    startsAt: toZonedInput(e.startsAt, e.timezone),
    saleStart: toZonedInput(e.saleStart, e.timezone),
    saleEnd: toZonedInput(e.saleEnd, e.timezone),
    seating: e.seating,
    layoutId: e.layoutId ?? '',
    ticketTypes: [],
    queue: { ...DEFAULT_QUEUE, ...e.queue },
    maxTicketsPerFan: e.maxTicketsPerFan == null ? '' : String(e.maxTicketsPerFan),
    powDifficulty: e.powDifficulty == null ? '' : String(e.powDifficulty),
    gradePrices: {},
  };
}

const EMPTY: Form = {
  title: '',
  titleEn: '',
  artist: '',
  artistEn: '',
  category: 'concert',
  venue: '',
  address: '',
  description: '',
  posterUrl: '',
  timezone: 'Asia/Seoul',
  startsAt: '',
  saleStart: '',
  saleEnd: '',
  seating: 'reserved',
  layoutId: '',
  ticketTypes: [{ name: '', price: '', quantity: '' }],
  queue: DEFAULT_QUEUE,
  maxTicketsPerFan: '',
  powDifficulty: '',
  gradePrices: {},
};

export default function EventForm() {
  const { id } = useParams();
  const editing = Boolean(id);
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [form, setForm] = useState<Form | null>(editing ? null : EMPTY);
  const [original, setOriginal] = useState<Form | null>(null);
  const [event, setEvent] = useState<Event | null>(null);
  const [layouts, setLayouts] = useState<Layout[]>([]);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  /** Editing a reserved-seating event: its grades at their current prices. */
  const [eventGrades, setEventGrades] = useState<Grade[]>([]);

  useEffect(() => {
    api.admin.layouts().then((r) => {
      setLayouts(r.layouts);
      setForm((f) => (f && !f.layoutId && !editing ? { ...f, layoutId: r.layouts[0]?.id ?? '' } : f));
    }, setError);
    if (id)
      api.event(id).then((d) => {
        const grades = d.event.seating === 'reserved' ? d.ticketTypes.map((x) => ({ name: x.name, price: x.price })) : [];
        setEventGrades(grades);
        const f = { ...fromEvent(d.event), gradePrices: Object.fromEntries(grades.map((g) => [g.name, String(g.price)])) };
        setEvent(d.event);
        setForm(f);
        setOriginal(f);
      }, setError);
  }, [id, editing]);

  if (!form) return error ? <ErrorNotice error={error} /> : <Loading />;
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm({ ...form, [k]: v });
  const setQueue = <K extends keyof QueueSettings>(k: K, v: QueueSettings[K]) => setForm({ ...form, queue: { ...form.queue, [k]: v } });
  const zoneOk = isValidTimeZone(form.timezone);
  const grades: Grade[] = editing
    ? eventGrades
    : form.seating === 'reserved'
      ? (layouts.find((l) => l.id === form.layoutId)?.sections ?? []).map((s) => ({ name: s.name, price: s.price }))
      : [];
  const gradePrice = (g: Grade) => form.gradePrices[g.name] ?? String(g.price);
  // Every grade is sent, in layout order, so a field error's index names its grade.
  const gradePrices = () => grades.map((g) => ({ grade: g.name, price: Number(gradePrice(g)) }));

  /** Under each date: the instant it means, so the admin sees the zone is the event's. */
  const meaning = (local: string) => {
    if (!local || !zoneOk) return undefined;
    const iso = fromZonedInput(local, form.timezone);
    if (!iso) return undefined;
    return t('admin.dateMeans', {
      instant: formatEventTime(iso, form.timezone, lang),
      utc: new Date(iso).toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    });
  };

  const body = (): EventInput => {
    const all: EventInput = {
      title: form.title,
      titleEn: form.titleEn,
      artist: form.artist,
      artistEn: form.artistEn,
      category: form.category,
      venue: form.venue,
      address: form.address,
      description: form.description,
      posterUrl: form.posterUrl || undefined,
      timezone: form.timezone,
      // Wall-clock times: the server reads them in `timezone`, whatever the browser's zone.
      startsAt: form.startsAt,
      saleStart: form.saleStart,
      saleEnd: form.saleEnd,
      queue: form.queue,
      maxTicketsPerFan: limit(form.maxTicketsPerFan),
      powDifficulty: limit(form.powDifficulty),
    };
    if (!editing) {
      if (form.seating === 'reserved') {
        all.layoutId = form.layoutId;
        all.gradePrices = gradePrices();
      } else all.ticketTypes = form.ticketTypes.map((r) => ({ name: r.name, price: Number(r.price), quantity: Number(r.quantity) }));
      return all;
    }
    // Editing sends only what changed (times too when the zone changed: they are wall clock).
    const o = original!;
    const out: EventInput = {};
    const zoneChanged = o.timezone !== form.timezone;
    for (const k of ['title', 'artist', 'category', 'venue', 'address', 'description', 'posterUrl', 'timezone'] as const)
      if (o[k] !== form[k]) (out as Record<string, unknown>)[k] = all[k] ?? '';
    for (const k of ['startsAt', 'saleStart', 'saleEnd'] as const) if (zoneChanged || o[k] !== form[k]) out[k] = form[k];
    if (JSON.stringify(o.queue) !== JSON.stringify(form.queue)) out.queue = form.queue;
    for (const k of ['maxTicketsPerFan', 'powDifficulty'] as const) if (o[k] !== form[k]) out[k] = limit(form[k]);
    if (grades.some((g) => o.gradePrices[g.name] !== gradePrice(g))) out.gradePrices = gradePrices();
    return out;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFields({});
    setError(null);
    setSaved(null);
    try {
      if (editing && id) {
        const { event: ev } = await api.admin.updateEvent(id, body());
        const f = { ...fromEvent(ev), gradePrices: form.gradePrices };
        setEventGrades(grades.map((g) => ({ name: g.name, price: Number(gradePrice(g)) })));
        setEvent(ev);
        setForm(f);
        setOriginal(f);
        setSaved(t('admin.saved'));
      } else {
        const { event: ev } = await api.admin.createEvent(body());
        navigate(`/events/${ev.id}`);
      }
    } catch (err) {
      const a = err as ApiError;
      setFields(a.fields);
      if (!Object.keys(a.fields).length) setError(a);
    } finally {
      setBusy(false);
    }
  };

  const unmatched = Object.entries(fields).filter(
    ([k]) => !k.startsWith('gradePrices') && !['title', 'artist', 'category', 'venue', 'address', 'description', 'posterUrl', 'timezone', 'startsAt', 'saleStart', 'saleEnd', 'layoutId', 'maxTicketsPerFan', 'powDifficulty'].includes(k),
  );

  return (
    <form onSubmit={submit} noValidate className="card" style={{ maxWidth: 820 }} data-testid="event-form">
      <h1>{editing ? t('admin.editEvent') : t('admin.newEvent')}</h1>
      <ErrorNotice error={error} />
      {saved && (
        <div className="notice good" role="status">
          {saved}
        </div>
      )}
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <div className="grow">
          <Field label={t('admin.title')} name="title" value={form.title} onChange={(e) => set('title', e.target.value)} error={fields.title} required />
        </div>
        <div className="grow">
          <Field label={t('admin.titleEn')} name="titleEn" value={form.titleEn} onChange={(e) => set('titleEn', e.target.value)} error={fields.titleEn} />
        </div>
      </div>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <div className="grow">
          <Field label={t('admin.artist')} name="artist" value={form.artist} onChange={(e) => set('artist', e.target.value)} error={fields.artist} />
        </div>
        <div className="grow">
          <Field label={t('admin.artistEn')} name="artistEn" value={form.artistEn} onChange={(e) => set('artistEn', e.target.value)} error={fields.artistEn} />
        </div>
        <div className="grow">
          <Field label={t('admin.category')} name="category" value={form.category} onChange={(e) => set('category', e.target.value)} error={fields.category} />
        </div>
      </div>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <div className="grow">
          <Field label={t('event.venue')} name="venue" value={form.venue} onChange={(e) => set('venue', e.target.value)} error={fields.venue} required />
        </div>
        <div className="grow">
          <Field label={t('admin.address')} name="address" value={form.address} onChange={(e) => set('address', e.target.value)} error={fields.address} />
        </div>
      </div>
      <div className="field">
        <label htmlFor="ev-desc">{t('admin.description')}</label>
        <textarea id="ev-desc" rows={3} value={form.description} onChange={(e) => set('description', e.target.value)} />
        {fields.description && <span className="fieldError">{fields.description}</span>}
      </div>
      <Field label={t('admin.posterUrl')} name="posterUrl" value={form.posterUrl} onChange={(e) => set('posterUrl', e.target.value)} error={fields.posterUrl} />
      {editing && event ? (
        <PosterUpload
          event={event}
          onUploaded={(ev) => {
            // The new poster is saved already; the form's URL follows it so that saving
            // other fields does not send the old one back.
            setEvent(ev);
            setForm((f) => (f ? { ...f, posterUrl: ev.posterUrl ?? '' } : f));
            setOriginal((o) => (o ? { ...o, posterUrl: ev.posterUrl ?? '' } : o));
            setSaved(t('admin.posterSaved'));
          }}
        />
      ) : (
        <div className="field">
          <span className="hint">{t('admin.posterAfterCreate')}</span>
        </div>
      )}

      <fieldset style={{ border: '1px solid var(--line)', borderRadius: 8, marginBottom: '1rem' }}>
        <legend>{t('admin.when')}</legend>
        <Field
          label={t('event.timezone')}
          name="timezone"
          list="tz-list"
          value={form.timezone}
          onChange={(e) => set('timezone', e.target.value)}
          error={fields.timezone ?? (zoneOk ? undefined : t('admin.badZone'))}
          hint={zoneOk ? t('admin.zoneHint', { zone: zoneAbbreviation(form.timezone) }) : undefined}
        />
        <datalist id="tz-list">
          {ZONES.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        {(['startsAt', 'saleStart', 'saleEnd'] as const).map((k) => (
          <Field
            key={k}
            label={t(`admin.${k}`, { zone: zoneOk ? zoneAbbreviation(form.timezone) : '' })}
            type="datetime-local"
            name={k}
            value={form[k]}
            onChange={(e) => set(k, e.target.value)}
            error={fields[k]}
            hint={meaning(form[k])}
          />
        ))}
      </fieldset>

      {editing && grades.length > 0 && (
        <fieldset style={{ border: '1px solid var(--line)', borderRadius: 8, marginBottom: '1rem' }}>
          <legend>{t('admin.gradePrices')}</legend>
          <GradePriceInputs grades={grades} value={gradePrice} fields={fields} onChange={(name, v) => set('gradePrices', { ...form.gradePrices, [name]: v })} />
        </fieldset>
      )}
      {!editing && (
        <fieldset style={{ border: '1px solid var(--line)', borderRadius: 8, marginBottom: '1rem' }}>
          <legend>{t('admin.seating')}</legend>
          <div className="row">
            <label>
              <input type="radio" name="seating" checked={form.seating === 'reserved'} onChange={() => set('seating', 'reserved')} /> {t('admin.reserved')}
            </label>
            <label>
              <input type="radio" name="seating" checked={form.seating === 'general'} onChange={() => set('seating', 'general')} /> {t('admin.general')}
            </label>
          </div>
          {form.seating === 'reserved' ? (
            <div className="field" style={{ marginTop: '0.8rem' }}>
              <label htmlFor="ev-layout">{t('admin.layout')}</label>
              <select id="ev-layout" name="layoutId" value={form.layoutId} onChange={(e) => set('layoutId', e.target.value)} aria-invalid={fields.layoutId ? true : undefined}>
                {layouts.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name} ({l.totalSeats})
                  </option>
                ))}
              </select>
              {fields.layoutId && <span className="fieldError">{fields.layoutId}</span>}
              <GradePriceInputs grades={grades} value={gradePrice} fields={fields} onChange={(name, v) => set('gradePrices', { ...form.gradePrices, [name]: v })} />
            </div>
          ) : (
            <div style={{ marginTop: '0.8rem' }}>
              {form.ticketTypes.map((r, i) => (
                <div className="row" key={i} style={{ alignItems: 'flex-start' }}>
                  {(['name', 'price', 'quantity'] as const).map((k) => (
                    <div className="grow" key={k}>
                      <Field
                        label={t(`admin.tt.${k}`)}
                        type={k === 'name' ? 'text' : 'number'}
                        value={r[k]}
                        onChange={(e) => set('ticketTypes', form.ticketTypes.map((x, j) => (j === i ? { ...x, [k]: e.target.value } : x)))}
                        error={fields[`ticketTypes[${i}].${k}`]}
                      />
                    </div>
                  ))}
                  <button type="button" className="btn secondary small" style={{ marginTop: '1.7rem' }} onClick={() => set('ticketTypes', form.ticketTypes.filter((_, j) => j !== i))} disabled={form.ticketTypes.length === 1}>
                    ✕
                  </button>
                </div>
              ))}
              <button type="button" className="btn secondary small" onClick={() => set('ticketTypes', [...form.ticketTypes, { name: '', price: '', quantity: '' }])}>
                {t('admin.addTicketType')}
              </button>
              {fields.ticketTypes && <div className="fieldError">{fields.ticketTypes}</div>}
            </div>
          )}
        </fieldset>
      )}

      <fieldset style={{ border: '1px solid var(--line)', borderRadius: 8, marginBottom: '1rem' }}>
        <legend>{t('admin.queue')}</legend>
        <label>
          <input type="checkbox" checked={form.queue.enabled} onChange={(e) => setQueue('enabled', e.target.checked)} /> {t('admin.queueEnabled')}
        </label>
        {form.queue.enabled && (
          <div style={{ marginTop: '0.8rem' }}>
            <div className="field">
              <label htmlFor="q-strategy">{t('admin.queueStrategy')}</label>
              <select id="q-strategy" value={form.queue.strategy} onChange={(e) => setQueue('strategy', e.target.value as 'rate' | 'max_active')}>
                <option value="rate">{t('admin.strategyRate')}</option>
                <option value="max_active">{t('admin.strategyMaxActive')}</option>
              </select>
            </div>
            <div className="row" style={{ alignItems: 'flex-start' }}>
              {(['ratePerMinute', 'maxActive', 'windowSeconds', 'prequeueMinutes'] as const).map((k) => (
                <div className="grow" key={k}>
                  <Field label={t(`admin.q.${k}`)} type="number" min={0} value={String(form.queue[k])} onChange={(e) => setQueue(k, Number(e.target.value))} error={fields[`queue.${k}`]} />
                </div>
              ))}
            </div>
            <label>
              <input type="checkbox" checked={form.queue.shuffle} onChange={(e) => setQueue('shuffle', e.target.checked)} /> {t('admin.queueShuffle')}
            </label>
          </div>
        )}
      </fieldset>

      <div className="row" style={{ alignItems: 'flex-start' }}>
        {(['maxTicketsPerFan', 'powDifficulty'] as const).map((k) => (
          <div className="grow" key={k}>
            <Field
              label={t(`admin.${k}`)}
              type="number"
              min={0}
              value={form[k]}
              onChange={(e) => set(k, e.target.value)}
              error={fields[k]}
            />
          </div>
        ))}
      </div>

      {unmatched.length > 0 && (
        <ul className="notice bad" role="alert">
          {unmatched.map(([k, v]) => (
            <li key={k}>
              {k}: {v}
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <button className="btn" type="submit" disabled={busy} data-testid="save-event">
          {editing ? t('admin.save') : t('admin.create')}
        </button>
        {editing && event && event.status !== 'cancelled' && (
          <button type="button" className="btn danger" onClick={() => setCancelling(true)}>
            {t('admin.cancelEvent')}
          </button>
        )}
      </div>
      {cancelling && event && (
        <CancelEventDialog
          event={event}
          onClose={() => setCancelling(false)}
          onDone={(msg) => {
            setCancelling(false);
            setSaved(msg);
            api.event(event.id).then((d) => setEvent(d.event));
          }}
        />
      )}
    </form>
  );
}

/** One price input per grade of a reserved-seating event, with the server's errors. */
function GradePriceInputs({
  grades,
  value,
  fields,
  onChange,
}: {
  grades: Grade[];
  value: (g: Grade) => string;
  fields: Record<string, string>;
  onChange: (grade: string, price: string) => void;
}) {
  const { t } = useI18n();
  if (!grades.length) return null;
  return (
    <div data-testid="grade-prices" style={{ marginTop: '0.8rem' }}>
      <p className="muted">{t('admin.gradePricesHint')}</p>
      <div className="row" style={{ flexWrap: 'wrap', alignItems: 'flex-start' }}>
        {grades.map((g, i) => (
          <div key={g.name} style={{ minWidth: 140 }}>
            <Field
              label={t('admin.gradePrice', { grade: g.name })}
              inputMode="numeric"
              value={value(g)}
              onChange={(e) => onChange(g.name, e.target.value)}
              error={fields[`gradePrices[${i}].price`] ?? fields[`gradePrices[${i}].grade`]}
            />
          </div>
        ))}
      </div>
      {fields.gradePrices && <div className="fieldError">{fields.gradePrices}</div>}
    </div>
  );
}
