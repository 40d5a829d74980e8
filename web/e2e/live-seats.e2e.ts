// Two fans on one seat map: a seat one of them takes turns locked for the other within a
// second, and the other's pick of it is dropped with a message.
import type { WebSocketRoute } from 'playwright-core';
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

  it('shows the connection indicator while live updates are down and catches up after reconnecting', async () => {
    const c = await openBrowser();
    let rival: { token: string } | null = null;
    let held: string | null = null;
    try {
      const event = await seatedEventOnSale(1);
      const [fan, other] = await Promise.all([registerFan('offline'), registerFan('offline-rival')]);
      rival = other;
      // Every WebSocket goes through this route, which can cut it and refuse reconnects.
      let allow = true;
      const open: WebSocketRoute[] = [];
      await c.page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
        if (!allow) {
          ws.close();
          return;
        }
        open.push(ws);
        ws.connectToServer();
      });
      await loginViaUi(c.page, fan.email, fan.password);
      await c.page.goto(`/events/${event.id}/seats`);
      const seat = c.page.locator('[data-seat-id][data-status="available"]').nth(3);
      const seatId = (await seat.getAttribute('data-seat-id'))!;
      expect(await c.page.getByTestId('connection-indicator').count()).toBe(0);

      allow = false;
      for (const ws of open.splice(0)) await ws.close();
      await c.page.getByTestId('connection-indicator').waitFor();
      expect(await c.page.getByTestId('connection-indicator').getAttribute('data-state')).toBe('offline');
      await shot(c.page, '20-live-updates-down');

      // A change this browser cannot hear about right now.
      const r = await apiJson<{ reservation: { id: string } }>('/api/seats/reserve', {
        method: 'POST',
        token: other.token,
        body: JSON.stringify({ eventId: event.id, seatIds: [seatId] }),
      });
      expect(r.status).toBe(201);
      held = r.body.reservation.id;
      await c.page.waitForTimeout(500);
      expect(await c.page.locator(`[data-seat-id="${seatId}"]`).getAttribute('data-status')).toBe('available');

      // Back online: the indicator goes and the missed change arrives (replay or refetch).
      allow = true;
      await c.page.getByTestId('connection-indicator').waitFor({ state: 'detached', timeout: 20_000 });
      await c.page.waitForFunction((id) => document.querySelector(`[data-seat-id="${id}"]`)?.getAttribute('data-status') === 'held', seatId, {
        timeout: 10_000,
      });
    } finally {
      if (rival && held) await apiJson(`/api/reservations/${held}/cancel`, { method: 'POST', token: rival.token });
      await c.close();
    }
  });
});
