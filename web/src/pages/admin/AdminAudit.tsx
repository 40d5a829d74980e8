import { useEffect, useState } from 'react';

import { api, ApiError } from '../../api/client';
import type { AuditChanges, AuditEntry, Pagination } from '../../api/models';
import { ErrorNotice, Loading } from '../../components/common';
import { useI18n } from '../../i18n/I18n';
import { formatEventTime } from '../../lib/time';

const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

export default function AdminAudit() {
  const { t, lang } = useI18n();
  const [filters, setFilters] = useState({ actor: '', entityType: '', entityId: '', action: '' });
  const [page, setPage] = useState(1);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [pagination, setPagination] = useState<Pagination | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    const id = setTimeout(() => {
      api.admin
        .audit({
          actor: filters.actor || undefined,
          entityType: filters.entityType || undefined,
          entityId: filters.entityId || undefined,
          action: filters.action || undefined,
          page,
          limit: 30,
        })
        .then((r) => {
          setEntries(r.entries);
          setPagination(r.pagination);
          setError(null);
        }, setError);
    }, 250);
    return () => clearTimeout(id);
  }, [filters, page]);

  const set = (k: keyof typeof filters, v: string) => {
    setFilters({ ...filters, [k]: v });
    setPage(1);
  };

  return (
    <section>
      <h1>{t('admin.audit')}</h1>
      <div className="row" style={{ marginBottom: '1rem' }}>
        <input placeholder={t('admin.actor')} aria-label={t('admin.actor')} value={filters.actor} onChange={(e) => set('actor', e.target.value)} />
        <select aria-label={t('admin.entityType')} value={filters.entityType} onChange={(e) => set('entityType', e.target.value)}>
          <option value="">{t('admin.allEntities')}</option>
          <option value="event">event</option>
          <option value="layout">layout</option>
        </select>
        <input placeholder={t('admin.entityId')} aria-label={t('admin.entityId')} value={filters.entityId} onChange={(e) => set('entityId', e.target.value)} />
        <input placeholder={t('admin.action')} aria-label={t('admin.action')} value={filters.action} onChange={(e) => set('action', e.target.value)} />
      </div>
      <ErrorNotice error={error} />
      {!entries ? (
        <Loading />
      ) : entries.length === 0 ? (
        <p className="muted">{t('admin.noneFound')}</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>{t('admin.at')}</th>
              <th>{t('admin.actor')}</th>
              <th>{t('admin.action')}</th>
              <th>{t('admin.entity')}</th>
              <th>{t('admin.changes')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{formatEventTime(e.at, 'Asia/Seoul', lang)}</td>
                <td>{e.actor?.email ?? t('admin.system')}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>
                  {e.entityType}
                  <div className="muted" style={{ fontSize: '0.8em' }}>
                    {e.entityId}
                  </div>
                </td>
                <td>
                  {e.changes &&
                    Object.entries(e.changes as AuditChanges).map(([field, c]) => (
                      <div key={field}>
                        <strong>{field}</strong>: {show(c?.before)} → {show(c?.after)}
                      </div>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pagination && pagination.totalPages > 1 && (
        <div className="row" style={{ justifyContent: 'center', marginTop: '1rem' }}>
          <button className="btn secondary small" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t('common.prev')}
          </button>
          {page} / {pagination.totalPages}
          <button className="btn secondary small" disabled={page >= pagination.totalPages} onClick={() => setPage(page + 1)}>
            {t('common.next')}
          </button>
        </div>
      )}
    </section>
  );
}
