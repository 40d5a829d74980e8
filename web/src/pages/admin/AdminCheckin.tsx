// An event's check-in, live: admitted of sold, per gate, per minute, offline conflicts
// (polled every 5 s like the dashboard's numbers), and its gate accounts.
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';

import { ApiError } from '../../api/client';
import { ErrorNotice, Field, Loading } from '../../components/common';
import { checkinApi, type CheckinStats, type GateAccount } from '../../gate/api';
import { useI18n } from '../../i18n/I18n';
import { formatNumber } from '../../lib/format';

const POLL_MS = 5_000;

export default function AdminCheckin() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const [stats, setStats] = useState<CheckinStats | null>(null);
  const [gates, setGates] = useState<GateAccount[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [form, setForm] = useState({ email: '', name: '', gate: '', password: '' });
  const [formError, setFormError] = useState<ApiError | null>(null);

  const load = useCallback(() => {
    checkinApi.stats(id).then(({ stats: s }) => setStats(s), setError);
  }, [id]);
  useEffect(() => {
    load();
    checkinApi.gates(id).then(({ gates: g }) => setGates(g), setError);
    const timer = window.setInterval(load, POLL_MS);
    return () => window.clearInterval(timer);
  }, [id, load]);

  if (error) return <ErrorNotice error={error} />;
  if (!stats) return <Loading />;
  const time = (iso: string) => new Date(iso).toLocaleTimeString(lang === 'ko' ? 'ko-KR' : 'en-GB');
  const peak = Math.max(1, ...stats.perMinute.map((m) => m.admitted));
  return (
    <section data-testid="admin-checkin">
      <h1>{t('checkin.title')}</h1>
      <p style={{ fontSize: '1.3rem' }} data-testid="checkin-share">
        {t('checkin.admitted', {
          admitted: formatNumber(stats.admitted, lang),
          sold: formatNumber(stats.sold, lang),
          share: `${(stats.admittedShare * 100).toFixed(1)}%`,
        })}
      </p>
      <div className="row" style={{ alignItems: 'flex-start', gap: '2rem' }}>
        <div className="card grow">
          <h2>{t('checkin.perGate')}</h2>
          <table>
            <tbody>
              {stats.perGate.map((g) => (
                <tr key={g.gate}>
                  <td>{g.gate}</td>
                  <td>{formatNumber(g.admitted, lang)}</td>
                  <td className="muted">{time(g.lastAdmittedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="card grow">
          <h2>{t('checkin.perMinute')}</h2>
          <div className="row" style={{ alignItems: 'flex-end', height: 120, gap: 2 }} role="img" aria-label={t('checkin.perMinute')}>
            {stats.perMinute.map((m) => (
              <div key={m.minute} title={`${time(m.minute)}: ${m.admitted}`} style={{ width: 6, height: `${(100 * m.admitted) / peak}%`, background: '#059669' }} />
            ))}
          </div>
        </div>
      </div>
      <div className="card">
        <h2>{t('checkin.conflicts', { n: stats.conflictCount })}</h2>
        <ul data-testid="checkin-conflicts">
          {stats.conflicts.map((c) => (
            <li key={`${c.ticketId}-${c.gate}-${c.admittedAt}`}>
              {c.kind === 'duplicate'
                ? t('checkin.conflictDuplicate', { gate: c.gate, time: time(c.admittedAt), first: c.firstGate ?? '?' })
                : t('checkin.conflictRevoked', { gate: c.gate, time: time(c.admittedAt) })}
            </li>
          ))}
        </ul>
      </div>
      <div className="card">
        <h2>{t('checkin.gates')}</h2>
        <ul>
          {gates.map((g) => (
            <li key={g.userId}>
              <strong>{g.gate}</strong> · {g.email}
            </li>
          ))}
        </ul>
        <h3>{t('checkin.newGate')}</h3>
        <ErrorNotice error={formError && !Object.keys(formError.fields).length ? formError : null} />
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setFormError(null);
            checkinApi.createGate(id, form).then(({ gate }) => {
              setGates((g) => [...g, gate]);
              setForm({ email: '', name: '', gate: '', password: '' });
            }, setFormError);
          }}
        >
          <Field label={t('checkin.gateName')} value={form.gate} error={formError?.fields.gate} onChange={(e) => setForm({ ...form, gate: e.target.value })} />
          <Field label={t('auth.name')} value={form.name} error={formError?.fields.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          <Field label={t('auth.email')} type="email" value={form.email} error={formError?.fields.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
          <Field label={t('auth.password')} type="password" value={form.password} error={formError?.fields.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
          <button className="btn" type="submit">
            {t('checkin.create')}
          </button>
        </form>
      </div>
    </section>
  );
}
