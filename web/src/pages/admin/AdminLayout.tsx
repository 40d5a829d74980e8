import { NavLink, Outlet } from 'react-router-dom';

import { useAuth } from '../../auth/Auth';
import { Loading } from '../../components/common';
import { useI18n } from '../../i18n/I18n';

export default function AdminLayout() {
  const { user, ready } = useAuth();
  const { t } = useI18n();
  if (!ready) return <Loading />;
  if (!user) return <div className="notice bad">{t('admin.loginRequired')}</div>;
  if (user.role !== 'admin') return <div className="notice bad">{t('admin.forbidden')}</div>;
  return (
    <div>
      <nav className="row" style={{ marginBottom: '1.2rem', gap: '1.2rem' }} aria-label={t('nav.admin')}>
        <NavLink to="/admin" end>
          {t('admin.dashboard')}
        </NavLink>
        <NavLink to="/admin/events">{t('admin.events')}</NavLink>
        <NavLink to="/admin/reservations">{t('admin.reservations')}</NavLink>
        <NavLink to="/admin/audit">{t('admin.audit')}</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
