// The language of a fan's e-mails (booking confirmations, cancellations, refunds), kept on
// the account (PATCH /api/auth/me) and independent of the language the app is shown in:
// a fan may browse in English on a borrowed phone and still want Korean mail.
import { useEffect, useState } from 'react';

import type { Locale } from '../api/models';
import { useI18n } from '../i18n/I18n';

const LOCALES: Locale[] = ['ko', 'en'];

export function EmailLanguage({ locale, save }: { locale: Locale; save: (locale: Locale) => Promise<unknown> }) {
  const { t } = useI18n();
  const [value, setValue] = useState(locale);
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | 'failed'>('idle');
  useEffect(() => setValue(locale), [locale]);

  const pick = async (next: Locale) => {
    setValue(next);
    setState('saving');
    try {
      await save(next);
      setState('saved');
    } catch {
      setValue(locale);
      setState('failed');
    }
  };

  return (
    <fieldset className="card" data-testid="email-language" style={{ border: 'none' }}>
      {/* Floated so the legend sits inside the card instead of on its border. */}
      <legend style={{ float: 'left', width: '100%', padding: 0, fontWeight: 700 }}>{t('account.emailLanguage')}</legend>
      <p className="muted" style={{ clear: 'both', marginTop: 0, paddingTop: 4 }}>
        {t('account.emailLanguageHint')}
      </p>
      <div className="row">
        {LOCALES.map((l) => (
          <label key={l} className="row" style={{ gap: 6 }}>
            <input
              type="radio"
              name="email-language"
              value={l}
              checked={value === l}
              disabled={state === 'saving'}
              onChange={() => void pick(l)}
            />
            {t(`account.emailLanguage.${l}`)}
          </label>
        ))}
        {state === 'saved' && (
          <span role="status" className="muted">
            {t('account.emailLanguageSaved')}
          </span>
        )}
        {state === 'failed' && (
          <span role="alert" className="notice bad">
            {t('account.emailLanguageFailed')}
          </span>
        )}
      </div>
    </fieldset>
  );
}
