// Two fans on one seat map: a seat one of them takes turns locked for the other within a
// second, and the other's pick of it is dropped with a message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { apiJson, loginViaUi, openBrowser, registerFan, seatedEventOnSale, shot, type Browser } from './support';

describe('live seat map', () => {
  let a: Browser;
  let b: Browser;
  let holdA: { token: string } | null = null;
  let reservationId: string | null = null;

  beforeAll(async () => {
    [a, b] = await Promise.all([openBrowser(), openBrowser()]);
  });
  afterAll(async () => {
    if (holdA && reservationId) await apiJson(`/api/reservations/${reservationId}/cancel`, { method: 'POST', token: holdA.token });
    await Promise.all([a?.close(), b?.close()]);
  });

  it('a seat reserved in one browser turns locked in the other within a second', async () => {
    // A different event from the journey's, so the two tests never share seats.
    const event = await seatedEventOnSale(1);
    const [fanA, fanB] = await Promise.all([registerFan('live-a'), registerFan('live-b')]);
    holdA = fanA;
    await Promise.all([loginViaUi(a.page, fanA.email, fanA.password), loginViaUi(b.page, fanB.email, fanB.password)]);
    await Promise.all([a.page.goto(`/events/${event.id}/seats`), b.page.goto(`/events/${event.id}/seats`)]);

    // Both see the seat as available; B picks it first (without reserving).
    const seatId = await b.page.locator('[data-seat-id][data-status="available"]').first().getAttribute('data-seat-id');
    const inA = a.page.locator(`[data-seat-id="${seatId}"]`);
    const inB = b.page.locator(`[data-seat-id="${seatId}"]`);
    await inA.waitFor();
    expect(await inA.getAttribute('data-status')).toBe('available');
    await inB.click();
    await expect.poll(() => inB.getAttribute('data-status')).toBe('selected');
    // Both live connections are up before the race (no indicator shown).
    expect(await a.page.getByTestId('connection-indicator').count()).toBe(0);
    expect(await b.page.getByTestId('connection-indicator').count()).toBe(0);

    await inA.click();
    const reserved = a.page.waitForResponse((r) => r.url().endsWith('/api/seats/reserve') && r.request().method() === 'POST');
    await a.page.getByTestId('reserve').click();
    const response = await reserved;
    expect(response.status()).toBe(201);
    reservationId = ((await response.json()) as { reservation: { id: string } }).reservation.id;
    const answeredAt = Date.now();

    // B sees it locked, by the WebSocket alone (no reload), within a second of A's answer.
    await b.page.waitForFunction(
      (id) => document.querySelector(`[data-seat-id="${id}"]`)?.getAttribute('data-status') === 'held',
      seatId,
      { timeout: 1000, polling: 'raf' },
    );
    const latency = Date.now() - answeredAt;
    console.log(`seat ${seatId} turned held in the other browser ${latency} ms after the reserve answer`);
    await b.page.getByTestId('seat-message').waitFor();
    expect(await b.page.getByTestId('seat-message').textContent()).toContain('다른 분께');
    expect(await inB.getAttribute('aria-label')).toContain('선점됨');
    await shot(b.page, '10-live-seat-locked-other-browser');
    await a.page.waitForURL('**/checkout/*');
  });
});
