// The fan's whole journey in a real browser: register (with the API's field errors shown),
// browse and search, seat map, reserve, pay, confirmation with QR, my reservations, cancel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { apiJson, openBrowser, seatedEventOnSale, shot, uniqueEmail, type Browser } from './support';

describe('fan journey', () => {
  let b: Browser;
  beforeAll(async () => {
    b = await openBrowser();
  });
  afterAll(async () => {
    await b?.close();
  });

  it('register → browse → seat map → reserve → pay → confirmation → my reservations → cancel', async () => {
    const { page } = b;
    const event = await seatedEventOnSale(0);
    const email = uniqueEmail('journey');

    // Register: a bad email first, so the API's field reason shows next to the field, in Korean.
    await page.goto('/register');
    await page.getByLabel('이름').fill('여정 테스트');
    await page.getByLabel('이메일').fill('not-an-email');
    await page.getByLabel('비밀번호').fill('short');
    await page.getByRole('button', { name: '회원가입' }).click();
    const emailError = page.locator('.field', { has: page.getByLabel('이메일') }).getByRole('alert');
    await expect.poll(() => emailError.textContent()).toBe('올바른 이메일 주소가 아닙니다.');
    await expect.poll(() => page.locator('.field', { has: page.getByLabel('비밀번호') }).getByRole('alert').count()).toBe(1);
    await shot(page, '01-register-field-errors');
    await page.getByLabel('이메일').fill(email);
    await page.getByLabel('비밀번호').fill('journey-pass-1');
    await page.getByRole('button', { name: '회원가입' }).click();
    await page.getByTestId('user-name').waitFor();
    expect(await page.getByTestId('user-name').textContent()).toBe('여정 테스트');

    // Browse: the list (Korean by default, English on request), then search narrows it.
    await page.getByTestId('event-card').first().waitFor();
    await shot(page, '02-home');
    await page.getByRole('button', { name: 'EN' }).click();
    await page.getByRole('heading', { name: 'Concerts · Shows · Sports' }).waitFor();
    expect(await page.getByTestId('event-card').first().textContent()).toMatch(/seats left|On sale|Upcoming/);
    await page.getByRole('button', { name: '한국어' }).click();
    await page.getByRole('heading', { name: '공연 · 전시 · 스포츠' }).waitFor();
    await page.getByRole('searchbox').fill(event.title.slice(0, 6));
    await page.waitForURL(/q=/);
    const card = page.locator(`[data-event-id="${event.id}"]`);
    await card.waitFor();
    await card.click();

    // Event detail: times in the event's zone, with the zone shown.
    await page.waitForURL(`**/events/${event.id}`);
    await expect.poll(() => page.getByTestId('starts-at').textContent()).toMatch(/\d{2}:\d{2} KST$/);
    await shot(page, '03-event-detail');
    await page.getByRole('button', { name: '예매하기' }).click();

    // Seat map: pick the first available seat.
    await page.waitForURL(`**/events/${event.id}/seats`);
    const seat = page.locator('[data-seat-id][data-status="available"]').first();
    await seat.waitFor();
    const seatId = await seat.getAttribute('data-seat-id');
    const label = await seat.getAttribute('aria-label');
    expect(label).toMatch(/구역 .+열 \d+번, .+원, 선택 가능/);
    await seat.click();
    await expect.poll(() => page.locator(`[data-seat-id="${seatId}"]`).getAttribute('data-status')).toBe('selected');
    await expect.poll(() => page.getByTestId('picked').locator('li').count()).toBe(1);
    await shot(page, '04-seat-map');
    await page.getByTestId('reserve').click();

    // Checkout: countdown from expiresAt, three methods, pay.
    await page.waitForURL('**/checkout/*');
    await page.getByTestId('countdown').waitFor();
    expect(await page.getByTestId('countdown').textContent()).toMatch(/^[0-9]+:[0-5][0-9]$/);
    expect(await page.getByRole('radio').count()).toBe(3);
    await page.getByLabel('카카오페이').check();
    await shot(page, '05-checkout');
    await page.getByTestId('pay').click();

    // Confirmation: number, seats, QR.
    await page.waitForURL('**/reservations/*/confirmation');
    const code = (await page.getByTestId('reservation-code').textContent())!.trim();
    expect(code.length).toBeGreaterThan(3);
    await page.getByTestId('qr-code').first().locator('svg').waitFor();
    await shot(page, '06-confirmation');

    // My reservations: listed as confirmed; cancel with a confirmation step.
    await page.getByRole('link', { name: '내 예매' }).first().click();
    await page.waitForURL('**/my');
    const row = page.locator('tr', { hasText: code });
    await row.waitFor();
    expect(await row.textContent()).toContain('예매 완료');
    await shot(page, '07-my-reservations');
    await row.getByRole('link', { name: code }).click();
    await page.getByTestId('cancel-reservation').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await shot(page, '08-cancel-confirm');
    await dialog.getByTestId('confirm').click();
    await expect.poll(() => page.getByTestId('reservation-detail').locator('.badge').textContent()).toBe('취소됨');
    await shot(page, '09-cancelled');

    // The seat is free again for everyone.
    await expect
      .poll(async () => (await apiJson<{ seats: { id: string; status: string }[] }>(`/api/seats/events/${event.id}`)).body.seats.find((s) => s.id === seatId)?.status, { timeout: 5000 })
      .toBe('available');
  });
});
