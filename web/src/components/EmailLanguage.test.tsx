import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { api } from '../api/client';
import { I18nProvider } from '../i18n/I18n';
import { EmailLanguage } from './EmailLanguage';

afterEach(cleanup);
beforeEach(() => localStorage.clear());

function renderIn(lang: 'ko' | 'en', locale: 'ko' | 'en', save: (l: 'ko' | 'en') => Promise<unknown>) {
  localStorage.setItem('tiketi.lang', lang);
  return render(
    <I18nProvider>
      <EmailLanguage locale={locale} save={save} />
    </I18nProvider>,
  );
}

describe('EmailLanguage', () => {
  it('shows the saved choice in Korean and saves a new one', async () => {
    const save = vi.fn(async () => undefined);
    renderIn('ko', 'ko', save);
    expect(screen.getByText('이메일 언어', { selector: 'legend' })).toBeTruthy();
    const korean = screen.getByLabelText('한국어') as HTMLInputElement;
    const english = screen.getByLabelText('영어') as HTMLInputElement;
    expect(korean.checked).toBe(true);
    fireEvent.click(english);
    expect(save).toHaveBeenCalledWith('en');
    await screen.findByText('저장했습니다.');
    expect(english.checked).toBe(true);
  });

  it('speaks English in the English app and goes back to the saved choice when saving fails', async () => {
    const save = vi.fn(async () => {
      throw new Error('offline');
    });
    renderIn('en', 'en', save);
    expect(screen.getByText('E-mail language', { selector: 'legend' })).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Korean'));
    await screen.findByRole('alert');
    expect(screen.getByRole('alert').textContent).toBe('Could not save. Please try again.');
    expect((screen.getByLabelText('English') as HTMLInputElement).checked).toBe(true);
  });
});

describe('PATCH /api/auth/me', () => {
  let sent: { method: string; url: string; body: unknown; auth: string | undefined } | null = null;
  beforeEach(() => {
    sent = null;
    const headers: Record<string, string> = {};
    vi.spyOn(XMLHttpRequest.prototype, 'open').mockImplementation(function (this: XMLHttpRequest, method: string, url: string | URL) {
      sent = { method, url: String(url), body: null, auth: undefined };
    });
    vi.spyOn(XMLHttpRequest.prototype, 'setRequestHeader').mockImplementation((k: string, v: string) => {
      headers[k.toLowerCase()] = v;
    });
    vi.spyOn(XMLHttpRequest.prototype, 'send').mockImplementation(function (this: XMLHttpRequest, body) {
      sent = { ...sent!, body: JSON.parse(String(body)), auth: headers.authorization };
      // No server here: the request ends as a network failure once it is recorded.
      queueMicrotask(() => this.onerror?.(new ProgressEvent('error')));
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('sends the chosen locale with the bearer token', async () => {
    localStorage.setItem('tiketi.token', 'jwt-xyz');
    await expect(api.updateMe({ locale: 'en' })).rejects.toMatchObject({ code: 'NETWORK' });
    await waitFor(() => expect(sent).not.toBeNull());
    expect(sent).toEqual({ method: 'PATCH', url: '/api/auth/me', body: { locale: 'en' }, auth: 'Bearer jwt-xyz' });
  });
});
