// A fan's own settings and files in My bookings: the language of their e-mails (saved on the
// account, so it holds across devices) and, where the api has the route, the PDF tickets
// of a confirmed booking downloaded with the fan's token.
import { readFileSync } from 'node:fs';

import { afterEach, describe, expect, it } from 'vitest';

import { apiJson, bookAndPay, loginViaUi, openBrowser, registerFan, seatedEventOnSale, shot, type Browser } from './support';

describe('my account', () => {
  let browser: Browser | null = null;
  afterEach(async () => {
    await browser?.close();
    browser = null;
  });

  it('switches the e-mail language to English and downloads the PDF tickets', async () => {
    const fan = await registerFan('account');
    const event = await seatedEventOnSale(2).catch(() => seatedEventOnSale());
    const booking = await bookAndPay(fan.token, event.id, 1);

    browser = await openBrowser();
    const { page } = browser;
    await loginViaUi(page, fan.email, fan.password);
    await page.goto('/my');
    const setting = page.getByTestId('email-language');
    await setting.waitFor();
    // Registered without a language preference: Korean.
    expect(await setting.getByLabel('한국어').isChecked()).toBe(true);
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/auth/me') && r.request().method() === 'PATCH');
    await setting.getByLabel('영어').check();
    expect((await saved).status()).toBe(200);
    await setting.getByText('저장했습니다.').waitFor();
    const me = await apiJson<{ user: { locale: string } }>('/api/auth/me', { token: fan.token });
    expect(me.body.user.locale).toBe('en');
    await shot(page, '24-my-email-language');

    // It is the account's setting: a fresh page load shows it from the server.
    await page.reload();
    await page.getByTestId('email-language').waitFor();
    expect(await page.getByTestId('email-language').getByLabel('영어').isChecked()).toBe(true);

    const row = page.locator(`tr[data-reservation-id="${booking.id}"]`);
    const button = row.getByTestId('pdf-tickets');
    expect(await button.textContent()).toBe('PDF 티켓');
    const download = page.waitForEvent('download');
    await button.click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.pdf$/);
    const path = await file.path();
    expect(readFileSync(path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
