import { useEffect, useId, useRef, useState, type InputHTMLAttributes, type ReactNode } from 'react';

import type { ApiError } from '../api/client';
import { codeText } from '../i18n/errors';
import { useI18n } from '../i18n/I18n';
import { formatCountdown, remainingMs, urgency } from '../lib/countdown';

/** A labelled input with the API's message for this field under it. */
export function Field({
  label,
  error,
  hint,
  ...input
}: { label: string; error?: string; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : hint ? `${id}-hint` : undefined}
        {...input}
      />
      {hint && !error && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span className="fieldError" id={`${id}-err`} role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

export function ErrorNotice({ error }: { error: ApiError | string | null | undefined }) {
  const { lang } = useI18n();
  if (!error) return null;
  // The code's text in the language shown now (the fan may have switched since).
  const text = typeof error === 'string' ? error : codeText(lang, error.code, error.status);
  return (
    <div className="notice bad" role="alert">
      {text}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" role="status">
      {t('common.loading')}
    </p>
  );
}

export function StatusBadge({ status, label }: { status: string; label: string }) {
  return <span className={`badge ${status}`}>{label}</span>;
}

/** Ticks every 250 ms toward `expiresAt`; calls `onExpire` once at zero. */
export function Countdown({ expiresAt, onExpire, label }: { expiresAt: string; onExpire?: () => void; label: string }) {
  const [now, setNow] = useState(() => Date.now());
  const fired = useRef(false);
  const left = remainingMs(expiresAt, now);
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(id);
  }, []);
  useEffect(() => {
    if (left <= 0 && !fired.current) {
      fired.current = true;
      onExpire?.();
    }
  }, [left, onExpire]);
  const u = urgency(left);
  return (
    <div className={`countdown ${u}`} data-testid="countdown" role="timer" aria-live="off" aria-label={label}>
      <span style={{ fontVariantNumeric: 'tabular-nums', fontSize: '1.6rem', fontWeight: 700, color: u === 'ok' ? undefined : 'var(--danger)' }}>
        {formatCountdown(left)}
      </span>
    </div>
  );
}

export function QrCode({ text, label }: { text: string; label: string }) {
  const [svg, setSvg] = useState<string>('');
  useEffect(() => {
    let live = true;
    // The encoder loads with the first code shown, not with every page.
    import('qrcode')
      .then((QRCode) => QRCode.toString(text, { type: 'svg', margin: 1, width: 200, errorCorrectionLevel: 'M' }))
      .then((s) => live && setSvg(s));
    return () => {
      live = false;
    };
  }, [text]);
  return <div role="img" aria-label={label} data-testid="qr-code" style={{ width: 200, height: 200 }} dangerouslySetInnerHTML={{ __html: svg }} />;
}

/** A modal confirmation step: focus goes to it, Escape cancels. */
export function ConfirmDialog({
  title,
  body,
  confirmLabel,
  cancelLabel,
  danger,
  busy,
  onConfirm,
  onCancel,
  children,
}: {
  title: string;
  body?: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children?: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const id = useId();
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('button, input, textarea')?.focus();
  }, []);
  return (
    <div
      style={{ position: 'fixed', inset: 0, background: 'rgba(20,16,40,.45)', display: 'grid', placeItems: 'center', zIndex: 50 }}
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
    >
      <div ref={ref} role="dialog" aria-modal="true" aria-labelledby={id} className="card" style={{ maxWidth: 440, width: '90%' }}>
        <h2 id={id}>{title}</h2>
        {body && <div style={{ marginBottom: '1rem' }}>{body}</div>}
        {children}
        <div className="row" style={{ justifyContent: 'flex-end' }}>
          <button type="button" className="btn secondary" onClick={onCancel}>
            {cancelLabel}
          </button>
          <button type="button" className={`btn ${danger ? 'danger' : ''}`} onClick={onConfirm} disabled={busy} data-testid="confirm">
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
