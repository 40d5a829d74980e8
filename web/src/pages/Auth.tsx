import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';

import { ApiError } from '../api/client';
import { useAuth } from '../auth/Auth';
import { Field } from '../components/common';
import { useI18n } from '../i18n/I18n';

function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function Login() {
  const { t } = useI18n();
  const { login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    try {
      await login(email, password);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (err) {
      const a = err as ApiError;
      setFields(a.fields);
      setError(a.code === 'INVALID_CREDENTIALS' ? t('auth.invalid') : Object.keys(a.fields).length ? null : a.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card" style={{ maxWidth: 420, margin: '2rem auto' }} onSubmit={submit} noValidate>
      <h1>{t('auth.loginTitle')}</h1>
      {error && (
        <div className="notice bad" role="alert">
          {error}
        </div>
      )}
      <Field label={t('auth.email')} type="email" name="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={fields.email} />
      <Field label={t('auth.password')} type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={fields.password} />
      <button className="btn" type="submit" disabled={busy} style={{ width: '100%' }}>
        {t('auth.login')}
      </button>
      <p className="muted">
        {t('auth.noAccount')} <Link to={`/register${params.get('next') ? `?next=${encodeURIComponent(params.get('next')!)}` : ''}`}>{t('auth.register')}</Link>
      </p>
    </form>
  );
}

export function Register() {
  const { t, lang } = useI18n();
  const { register } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    try {
      // E-mails follow the language the fan signed up in.
      await register(name, email, password, lang);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (err) {
      const a = err as ApiError;
      if (a.code === 'EMAIL_TAKEN') setFields({ email: t('auth.emailTaken') });
      else {
        setFields(a.fields);
        if (!Object.keys(a.fields).length) setError(a.message);
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card" style={{ maxWidth: 420, margin: '2rem auto' }} onSubmit={submit} noValidate>
      <h1>{t('auth.registerTitle')}</h1>
      {error && (
        <div className="notice bad" role="alert">
          {error}
        </div>
      )}
      <Field label={t('auth.name')} name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} error={fields.name} />
      <Field label={t('auth.email')} type="email" name="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={fields.email} />
      <Field
        label={t('auth.password')}
        type="password"
        name="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fields.password}
        hint={t('auth.passwordHint')}
      />
      <button className="btn" type="submit" disabled={busy} style={{ width: '100%' }}>
        {t('auth.register')}
      </button>
      <p className="muted">
        {t('auth.haveAccount')} <Link to="/login">{t('auth.login')}</Link>
      </p>
    </form>
  );
}
