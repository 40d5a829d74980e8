import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';

import { api, ApiError } from '../../api/client';
import type { DashboardStats } from '../../api/models';
import { LineChart, SellThroughBars, type Point } from '../../components/Charts';
import { ErrorNotice, Loading } from '../../components/common';
import { useI18n } from '../../i18n/I18n';
import type { StringKey } from '../../i18n/strings';
import { formatKrw, formatNumber } from '../../lib/format';
import { formatEventTime } from '../../lib/time';

/** Refreshes every 3 s while something is on sale, else every 15 s. */
export default function Dashboard() {
  const { t, lang } = useI18n();
  const [stats, setStats] = useState<DashboardStats | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [series, setSeries] = useState<Point[]>([]);
  const onSale = useRef(false);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    let live = true;
    const tick = async () => {
      try {
        const { stats: s } = await api.admin.stats();
        if (!live) return;
        setStats(s);
        setError(null);
        onSale.current = s.onSale.length > 0;
        setSeries((xs) => [...xs.slice(-119), { t: Date.parse(s.generatedAt) || Date.now(), v: s.revenue.total }]);
      } catch (e) {
        if (live) setError(e as ApiError);
      }
      if (live) timer = setTimeout(tick, onSale.current ? 3000 : 15000);
    };
    tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, []);

  if (error && !stats) return <ErrorNotice error={error} />;
  if (!stats) return <Loading />;
  const card = (label: string, value: string, testid?: string) => (
    <div className="card" style={{ flex: '1 1 180px' }}>
      <div className="muted">{label}</div>
      <div style={{ fontSize: '1.6rem', fontWeight: 800 }} data-testid={testid}>
        {value}
      </div>
    </div>
  );
  const sold = stats.onSale.reduce((a, e) => a + e.sold, 0);
  return (
    <section>
      <h1>{t('admin.dashboard')}</h1>
      <p className="muted">{t('admin.generatedAt', { at: formatEventTime(stats.generatedAt, 'Asia/Seoul', lang) })}</p>
      <div className="row" style={{ alignItems: 'stretch', marginBottom: '1rem' }}>
        {card(t('admin.revenueTotal'), formatKrw(stats.revenue.total, lang), 'revenue-total')}
        {card(t('admin.revenueToday'), formatKrw(stats.revenue.today, lang))}
        {card(t('admin.soldOnSale'), formatNumber(sold, lang))}
        {card(t('admin.holdsExpiring'), formatNumber(stats.holdsExpiringSoon, lang))}
      </div>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <div className="card grow" style={{ minWidth: 320 }}>
          <h2>{t('admin.revenueChart')}</h2>
          <LineChart points={series} label={t('admin.revenueChart')} format={(v) => formatKrw(v, lang)} />
        </div>
        <div className="card grow" style={{ minWidth: 320 }}>
          <h2>{t('admin.sellThrough')}</h2>
          {stats.onSale.length === 0 ? (
            <p className="muted">{t('admin.nothingOnSale')}</p>
          ) : (
            <SellThroughBars
              rows={stats.onSale.map((e) => ({ id: e.eventId, title: e.title, sold: e.sold, held: e.held, available: e.available, total: e.total }))}
              labels={{ sold: t('admin.sold'), held: t('admin.held'), available: t('admin.available') }}
            />
          )}
        </div>
      </div>
      <div className="row" style={{ alignItems: 'flex-start', marginTop: '1rem' }}>
        <div className="card grow">
          <h2>{t('admin.byStatus')}</h2>
          <ul>
            {Object.entries(stats.eventsByStatus).map(([k, v]) => (
              <li key={k}>
                {t(`status.${k}` as StringKey)}: {v}
              </li>
            ))}
          </ul>
          <ul>
            {Object.entries(stats.reservationsByStatus).map(([k, v]) => (
              <li key={k}>
                {t(`reservation.status.${k}` as StringKey)}: {v}
              </li>
            ))}
          </ul>
        </div>
        <div className="card grow">
          <h2>{t('admin.queues')}</h2>
          {stats.queues.length === 0 ? (
            <p className="muted">{t('admin.noQueues')}</p>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th>{t('my.event')}</th>
                  <th>{t('admin.waiting')}</th>
                  <th>{t('admin.active')}</th>
                </tr>
              </thead>
              <tbody>
                {stats.queues.map((q) => (
                  <tr key={q.eventId}>
                    <td>
                      <Link to={`/admin/events/${q.eventId}/edit`}>{q.title}</Link>
                    </td>
                    <td>{formatNumber(q.waiting, lang)}</td>
                    <td>{formatNumber(q.active, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </section>
  );
}
