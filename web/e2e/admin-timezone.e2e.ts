// An admin in New York creates an event at 09:00 Asia/Seoul: the date inputs mean the
// event's zone, not the browser's, and the event page shows 09:00 KST. Needs the admin API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { apiJson, endpointExists, loginViaUi, openBrowser, shot, type Browser } from './support';

const gate = await endpointExists('/api/admin/dashboard/stats');
if (!gate.ok) console.warn(`admin browser tests skipped: ${gate.reason}`);

function seoulDate(daysAhead: number): string {
  const d = new Date(Date.now() + daysAhead * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

describe.skipIf(!gate.ok)(`admin console${gate.ok ? '' : ` (skipped: ${gate.reason})`}`, () => {
  let b: Browser;
  let title = '';
  beforeAll(async () => {
    b = await openBrowser({ timezoneId: 'America/New_York' });
  });
  afterAll(async () => {
    await b?.close();
  });

  it('dashboard shows live numbers and the sales chart', async () => {
    const { page } = b;
    await loginViaUi(page, 'admin@tiketi.gg', 'admin123');
    await page.goto('/admin');
    await page.getByTestId('revenue-total').waitFor();
    await page.getByTestId('sales-chart').waitFor();
    await shot(page, '13-admin-dashboard');
  });

  it('creates an event at 09:00 Asia/Seoul from a browser in America/New_York', async () => {
    const { page } = b;
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('America/New_York');
    await page.goto('/admin/events/new');
    title = `E2E 시간대 공연 ${Date.now().toString(36)}`;
    await page.getByLabel('공연명').fill(title);
    await page.getByLabel('공연장').fill('E2E 홀');
    await page.getByLabel('시간대').fill('Asia/Seoul');
    const day = seoulDate(40);
    await page.getByLabel(/^공연 시작/).fill(`${day}T09:00`);
    await page.getByLabel(/^예매 시작/).fill(`${seoulDate(1)}T09:00`);
    await page.getByLabel(/^예매 종료/).fill(`${seoulDate(39)}T21:00`);
    await shot(page, '14-admin-event-form');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/admin/events') && r.request().method() === 'POST');
    await page.getByTestId('save-event').click();
    const res = await created;
    // On failure, say what the api answered (a 422 names the field).
    expect(res.status(), await res.text()).toBe(201);
    const { event } = (await res.json()) as { event: { id: string; startsAt: string } };
    expect(event.startsAt).toBe(`${day}T09:00:00+09:00`);

    await page.waitForURL(`**/events/${event.id}`);
    await expect.poll(() => page.getByTestId('starts-at').textContent()).toMatch(/09:00 KST$/);
    await shot(page, '15-event-created-0900-kst');
    const check = await apiJson<{ event: { startsAt: string; timezone: string } }>(`/api/events/${event.id}`);
    expect(check.body.event.timezone).toBe('Asia/Seoul');
  });

  it('finds the event in the list, cancels it with a confirmation, and sees it in the audit log and reservations', async () => {
    const { page } = b;
    await page.goto('/admin/events');
    expect(title, 'the event created by the previous test').not.toBe('');
    await page.getByRole('searchbox').fill(title);
    const row = page.locator('[data-testid="admin-events"] tr', { hasText: title });
    await row.waitFor();
    await row.getByRole('button', { name: '공연 취소' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/취소 사유/).fill('E2E 테스트 취소');
    await dialog.getByTestId('confirm').click();
    await page.getByText(/공연이 취소되었습니다/).waitFor();
    await expect.poll(() => row.locator('.badge').textContent()).toBe('취소됨');
    await shot(page, '16-admin-events');

    await page.goto('/admin/audit');
    await page.locator('table.data tbody tr').first().waitFor();
    expect(await page.locator('table.data tbody').textContent()).toContain('admin@tiketi.gg');
    await shot(page, '17-admin-audit');

    await page.goto('/admin/reservations');
    await page.locator('table.data tbody tr').first().waitFor();
    await shot(page, '18-admin-reservations');
  });
});
