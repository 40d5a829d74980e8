// The seat-layout editor: sections (grades) with rows, seats per row, price and colour, a
// live preview drawn with the seat map's geometry, and the server's per-field errors next
// to the inputs they belong to.
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';

import { api, ApiError } from '../../api/client';
import type { Layout } from '../../api/models';
import { ErrorNotice, Field } from '../../components/common';
import { useI18n } from '../../i18n/I18n';
import { formatKrw, formatNumber } from '../../lib/format';
import { emptySection, MAX_SECTIONS, previewSeats, toSections, totals, type SectionDraft } from '../../lib/layoutDraft';
import { PITCH, placeSeats, SEAT_R } from '../../lib/seatLayout';

export default function LayoutEditor() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [venue, setVenue] = useState('');
  const [drafts, setDrafts] = useState<SectionDraft[]>([emptySection(0), emptySection(1)]);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [existing, setExisting] = useState<Layout[]>([]);
  useEffect(() => {
    api.admin.layouts().then((r) => setExisting(r.layouts), setError);
  }, []);
  /** Layouts are never edited once events use them: a new one starts as a copy. */
  const copyFrom = (layoutId: string) => {
    const l = existing.find((x) => x.id === layoutId);
    if (!l) return;
    setVenue(l.venue);
    setDrafts(l.sections.map((x) => ({ name: x.name, rows: String(x.rows), seatsPerRow: String(x.seatsPerRow), price: String(x.price), color: x.color ?? '' })));
  };

  const sections = useMemo(() => toSections(drafts), [drafts]);
  const geometry = useMemo(
    () => placeSeats({ id: 'draft', name, venue, description: '', totalSeats: 0, sections }, previewSeats(sections)),
    [sections, name, venue],
  );
  const sum = totals(sections);
  const fields = error?.fields ?? {};
  const edit = (i: number, patch: Partial<SectionDraft>) => setDrafts(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const move = (i: number, by: number) => {
    const next = [...drafts];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    setDrafts(next);
  };

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.admin.createLayout({ name, venue, sections });
      navigate('/admin/events/new');
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="layoutEditor">
      <h1>{t('layout.title')}</h1>
      <div className="split">
        <form onSubmit={save} noValidate className="card" data-testid="layout-form">
          <ErrorNotice error={error && !Object.keys(fields).length ? error : null} />
          {error && Object.keys(fields).length > 0 && (
            <div className="notice bad" role="alert">
              {t('layout.fix')}
            </div>
          )}
          {existing.length > 0 && (
            <div className="field">
              <label htmlFor="layout-copy">{t('layout.copyFrom')}</label>
              <select id="layout-copy" value="" onChange={(e) => copyFrom(e.target.value)}>
                <option value="">—</option>
                {existing.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name} ({l.totalSeats})
                  </option>
                ))}
              </select>
            </div>
          )}
          <Field label={t('layout.name')} value={name} error={fields.name} onChange={(e) => setName(e.target.value)} required />
          <Field label={t('layout.venue')} value={venue} error={fields.venue} onChange={(e) => setVenue(e.target.value)} />
          {fields.sections && (
            <div className="fieldError" role="alert">
              {fields.sections}
            </div>
          )}
          {drafts.map((d, i) => (
            <fieldset key={i} className="sectionDraft" data-testid="section-draft">
              <legend>{t('layout.section', { n: i + 1 })}</legend>
              <div className="grid4">
                <Field label={t('layout.grade')} value={d.name} error={fields[`sections[${i}].name`]} onChange={(e) => edit(i, { name: e.target.value })} />
                <Field label={t('layout.rows')} inputMode="numeric" value={d.rows} error={fields[`sections[${i}].rows`]} onChange={(e) => edit(i, { rows: e.target.value })} />
                <Field label={t('layout.seatsPerRow')} inputMode="numeric" value={d.seatsPerRow} error={fields[`sections[${i}].seatsPerRow`]} onChange={(e) => edit(i, { seatsPerRow: e.target.value })} />
                <Field label={t('layout.price')} inputMode="numeric" value={d.price} error={fields[`sections[${i}].price`]} onChange={(e) => edit(i, { price: e.target.value })} />
              </div>
              <div className="row">
                <label className="row" style={{ gap: '.4rem' }}>
                  {t('layout.color')}
                  <input type="color" value={d.color || geometry.sections[i]?.color || '#8b5cf6'} onChange={(e) => edit(i, { color: e.target.value })} />
                </label>
                {fields[`sections[${i}].color`] && <span className="fieldError">{fields[`sections[${i}].color`]}</span>}
                <span className="grow" />
                <button type="button" className="btn secondary small" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('layout.up')}>
                  ↑
                </button>
                <button type="button" className="btn secondary small" disabled={i === drafts.length - 1} onClick={() => move(i, 1)} aria-label={t('layout.down')}>
                  ↓
                </button>
                <button type="button" className="btn danger small" disabled={drafts.length === 1} onClick={() => setDrafts(drafts.filter((_, j) => j !== i))}>
                  {t('layout.remove')}
                </button>
              </div>
            </fieldset>
          ))}
          <div className="row">
            <button type="button" className="btn secondary" disabled={drafts.length >= MAX_SECTIONS} onClick={() => setDrafts([...drafts, emptySection(drafts.length)])}>
              {t('layout.add')}
            </button>
            <span className="grow" />
            <button className="btn" disabled={busy} data-testid="layout-save">
              {t('layout.save')}
            </button>
          </div>
        </form>
        <div className="card" data-testid="layout-preview">
          <h2>{t('layout.preview')}</h2>
          <p className="muted">{t('layout.totals', { seats: formatNumber(sum.seats, lang), gross: formatKrw(sum.gross, lang) })}</p>
          <ul className="muted">
            {sum.perGrade.map((g, i) => (
              <li key={i}>
                {t('layout.gradeLine', { name: g.name || '—', seats: formatNumber(g.seats, lang), price: formatKrw(g.price, lang) })}
              </li>
            ))}
          </ul>
          <svg viewBox={`0 0 ${geometry.width} ${geometry.height}`} role="img" aria-label={t('layout.preview')} style={{ width: '100%', maxHeight: '70vh' }}>
            <rect {...geometry.stage} rx={6} fill="#2d2545" />
            <text x={geometry.width / 2} y={geometry.stage.y + geometry.stage.height / 2 + 4} textAnchor="middle" fill="#fff" fontSize={11}>
              {t('layout.stage')}
            </text>
            {geometry.sections.map((s) => (
              <g key={s.index}>
                <text x={s.x} y={s.y + 12} fontSize={11} fill="currentColor">
                  {s.name} · {formatKrw(s.price, lang)}
                </text>
                {s.seats.map((seat) => (
                  <circle key={seat.id} cx={seat.x} cy={seat.y} r={Math.min(SEAT_R, PITCH / 2)} fill={s.color} />
                ))}
              </g>
            ))}
          </svg>
        </div>
      </div>
    </section>
  );
}
