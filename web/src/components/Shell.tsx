import { useEffect, useState, type ReactNode } from 'react';
import { Link, NavLink, useNavigate } from 'react-router-dom';

import { useAuth } from '../auth/Auth';
import { useI18n } from '../i18n/I18n';
import { useLive } from '../live/Live';
import s from './Shell.module.css';

/** Shown only when live updates are down (after a short grace, so a normal start stays quiet). */
export function ConnectionIndicator() {
  const { state } = useLive();
  const { t } = useI18n();
  const [show, setShow] = useState(false);
  useEffect(() => {
    if (state === 'online') {
      setShow(false);
      return;
    }
    const id = setTimeout(() => setShow(true), 1500);
    return () => clearTimeout(id);
  }, [state]);
  if (!show) return null;
  return (
    <span className={`${s.live} ${s[state]}`} role="status" data-testid="connection-indicator" data-state={state}>
      <span className={s.dot} aria-hidden="true" />
      {state === 'offline' ? t('live.offline') : t('live.connecting')}
    </span>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const { user, logout } = useAuth();
  const { t, lang, setLang } = useI18n();
  const navigate = useNavigate();
  return (
    <>
      <header className={s.header}>
        <div className={s.bar}>
          <Link to="/" className={s.logo}>
            Tiketi<span>.</span>
          </Link>
          <nav className={s.nav} aria-label={t('nav.label')}>
            <NavLink to="/" end>
              {t('nav.events')}
            </NavLink>
            {user && <NavLink to="/my">{t('nav.my')}</NavLink>}
            {user?.role === 'admin' && <NavLink to="/admin">{t('nav.admin')}</NavLink>}
          </nav>
          <div className={s.side}>
            <ConnectionIndicator />
            <button type="button" onClick={() => setLang(lang === 'ko' ? 'en' : 'ko')} aria-label={t('nav.switchLang')}>
              {lang === 'ko' ? 'EN' : '한국어'}
            </button>
            {user ? (
              <>
                <span data-testid="user-name">{user.name}</span>
                <button
                  type="button"
                  onClick={async () => {
                    await logout();
                    navigate('/');
                  }}
                >
                  {t('nav.logout')}
                </button>
              </>
            ) : (
              <>
                <NavLink to="/login" style={{ color: '#fff' }}>
                  {t('nav.login')}
                </NavLink>
                <NavLink to="/register" style={{ color: '#fff' }}>
                  {t('nav.register')}
                </NavLink>
              </>
            )}
          </div>
        </div>
      </header>
      <main className={s.main}>{children}</main>
    </>
  );
}
