// The stadium seat maps in two steps: the venue overview of blocks, then one block's seats.
// Tap → selected timings are LOGGED on desktop and on a 390×844 phone with 4× CPU
// throttling (CDP); the test fails only on a 3× regression of the targets (50 ms desktop,
// 100 ms phone), never on a busy machine's noise. A delta from another fan lands on the
// open block and on the overview's counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { apiJson, loginViaUi, openBrowser, registerFan, shot, type Browser } from './support';
import type { Page } from 'playwright-core';

interface Listed {
  id: string;
  seating: string;
  queue: { enabled: boolean };
  availability: { total: number };
}

/** Taps `count` available seats of the open block one by one; returns each tap's ms. */
async function tapTimings(page: Page, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const ms = await page.evaluate(
      (nth) =>
        new Promise<number>((resolve) => {
          const seats = document.querySelectorAll<SVGElement>('[data-testid="block-seats"] [data-seat-id][data-status="available"]');
          const seat = seats[Math.min(nth * 7, seats.length - 1)];
          const id = seat.getAttribute('data-seat-id');
          const t0 = performance.now();
          const done = () => {
            const el = document.querySelector(`[data-seat-id="${id}"]`);
            if (el?.getAttribute('data-status') === 'selected') requestAnimationFrame(() => resolve(performance.now() - t0));
            else requestAnimationFrame(done);
          };
          seat.dispatchEvent(new MouseEvent('click', { bubbles: true }));
          done();
        }),
      i,
    );
    out.push(ms);
    // Unpick it again so the 4-seat limit never interferes.
    await page.locator('[data-testid="picked"] button').first().click();
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('stadium seat maps in blocks', () => {
  let b: Browser;
  let other: { token: string } | null = null;
  let held: string | null = null;
  beforeAll(async () => {
    b = await openBrowser();
  });
  afterAll(async () => {
    if (other && held) await apiJson(`/api/reservations/${held}/cancel`, { method: 'POST', token: other.token });
    await b?.close();
  });

  it('picks a block, taps seats fast on desktop and a throttled phone, and sees live deltas', async () => {
    const { page, context } = b;
    const list = await apiJson<{ events: Listed[] }>('/api/events?status=on_sale&limit=100');
    const stadium = list.body.events.find((e) => e.seating === 'reserved' && !e.queue.enabled && e.availability.total === 4900);
    const big = list.body.events.find((e) => e.seating === 'reserved' && !e.queue.enabled && e.availability.total === 60000);
    expect(stadium, 'an on-sale 4,900-seat stadium event without the waiting room').toBeTruthy();
    expect(big, 'the 60,000-seat stadium event').toBeTruthy();
    const [fan, rival] = await Promise.all([registerFan('stadium'), registerFan('stadium-rival')]);
    other = rival;
    await loginViaUi(page, fan.email, fan.password);

    // The 60,000-seat stadium: 54 numbered blocks, no seat shipped until a block opens.
    let started = Date.now();
    await page.goto(`/events/${big!.id}/seats`);
    await page.getByTestId('venue-overview').waitFor();
    expect(await page.locator('[data-block-id]').count()).toBe(54);
    expect(await page.locator('[data-seat-id]').count()).toBe(0);
    const overviewMs = Date.now() - started;
    await shot(page, '19-stadium-60k-overview');
    await page.locator('[data-block-id]', { hasText: '101' }).first().click();
    await page.waitForFunction(() => document.querySelectorAll('[data-seat-id]').length === 1000);
    await page.getByTestId('best-available').click();
    expect(await page.getByTestId('picked').locator('li').count()).toBe(2);
    await shot(page, '20-stadium-60k-block-best-available');

    // The 4,900-seat stadium, desktop.
    started = Date.now();
    await page.goto(`/events/${stadium!.id}/seats`);
    await page.getByTestId('venue-overview').waitFor();
    const lowerS = page.locator('[data-block-id="2"]');
    const leftBefore = Number(await lowerS.getAttribute('data-available'));
    // A stand block is an arc: tap it where its number is, as a fan would.
    const numberBox = (await lowerS.locator('text').first().boundingBox())!;
    await page.mouse.click(numberBox.x + numberBox.width / 2, numberBox.y + numberBox.height / 2);
    await page.waitForFunction(() => document.querySelectorAll('[data-seat-id]').length === 1000);
    const blockMs = Date.now() - started;
    await page.locator('[data-seat-id][data-status="available"]').nth(30).hover();
    await page.getByTestId('seat-card').waitFor();
    expect(await page.getByTestId('seat-card').textContent()).toMatch(/Lower S/);
    const desktop = await tapTimings(page, 7);
    await shot(page, '21-stadium-block-desktop');

    // Another fan takes a seat of the open block: it turns held here, the overview counts it.
    const seatId = await page.locator('[data-seat-id][data-status="available"]').last().getAttribute('data-seat-id');
    const t0 = Date.now();
    const r = await apiJson<{ reservation: { id: string } }>('/api/seats/reserve', {
      method: 'POST',
      token: rival.token,
      body: JSON.stringify({ eventId: stadium!.id, seatIds: [seatId] }),
    });
    expect(r.status).toBe(201);
    held = r.body.reservation.id;
    await page.waitForFunction((id) => document.querySelector(`[data-seat-id="${id}"]`)?.getAttribute('data-status') === 'held', seatId, {
      polling: 'raf',
    });
    const deltaMs = Date.now() - t0;
    await page.getByTestId('back-to-blocks').click();
    await expect
      .poll(async () => Number(await page.locator('[data-block-id="2"]').getAttribute('data-available')), { timeout: 10_000 })
      .toBe(leftBefore - 1);

    // The phone: 390×844, touch, CPU 4× slower.
    const cdp = await context.newCDPSession(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.reload();
    const upperBox = (await page.locator('[data-block-id="3"] text').first().boundingBox())!;
    await page.mouse.click(upperBox.x + upperBox.width / 2, upperBox.y + upperBox.height / 2);
    await page.waitForFunction(() => document.querySelectorAll('[data-seat-id]').length === 1500);
    const size = await page.locator('[data-seat-id]').first().boundingBox();
    expect(Math.round(size!.width)).toBeGreaterThanOrEqual(32);
    const phone = await tapTimings(page, 7);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await shot(page, '22-stadium-block-phone');

    console.log(
      `stadium blocks: 60k overview ${overviewMs} ms; 4,900 block open ${blockMs} ms after navigation; ` +
        `tap→selected desktop ms [${desktop.map((x) => x.toFixed(1)).join(', ')}] median ${median(desktop).toFixed(1)} (target 50); ` +
        `phone 4× ms [${phone.map((x) => x.toFixed(1)).join(', ')}] median ${median(phone).toFixed(1)} (target 100); ` +
        `seat tap target on the phone ${size?.width.toFixed(0)}×${size?.height.toFixed(0)} px; another fan's hold shown ${deltaMs} ms after the reserve call`,
    );
    // Only a 3× regression fails.
    expect(median(desktop)).toBeLessThan(150);
    expect(median(phone)).toBeLessThan(300);
  });
});
