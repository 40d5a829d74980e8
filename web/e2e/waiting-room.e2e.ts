// The waiting room on the queued stadium event: ticket number, fans ahead, progress; it
// survives a refresh and moves on to the seat map by itself once admitted, and the
// admission token carries the fan through reserve and pay. Needs the waiting-room API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { apiJson, endpointExists, loginViaUi, openBrowser, registerFan, shot, type Browser } from './support';

/** The seeded on-sale event with the waiting room (the stadium), found by its settings. */
async function queuedEvent(): Promise<string> {
  const r = await apiJson<{ events: { id: string; status: string; queue: { enabled: boolean } }[] }>('/api/events?status=on_sale&limit=100');
  const e = r.body.events.find((x) => x.queue.enabled);
  if (!e) throw new Error('no on-sale event with the waiting room in the seed');
  return e.id;
}

const gate = await endpointExists('/api/queue/00000000-0000-4000-8000-000000000000/status');
if (!gate.ok) console.warn(`waiting-room browser test skipped: ${gate.reason}`);

describe.skipIf(!gate.ok)(`waiting room${gate.ok ? '' : ` (skipped: ${gate.reason})`}`, () => {
  let b: Browser;
  beforeAll(async () => {
    b = await openBrowser();
  });
  afterAll(async () => {
    await b?.close();
  });

  it('queues, survives a refresh, is admitted to the seat map and books with the admission token', { timeout: 180_000 }, async () => {
    const { page } = b;
    const STADIUM_QUEUE = await queuedEvent();
    const fan = await registerFan('queue');
    await loginViaUi(page, fan.email, fan.password);
    await page.goto(`/events/${STADIUM_QUEUE}`);
    await page.getByTestId('join-queue').click();
    await page.waitForURL(/\/events\/.+\/(queue|seats)$/);

    if (page.url().endsWith('/queue')) {
      const ticket = await page.getByTestId('queue-ticket').textContent();
      expect(ticket).toMatch(/^#[\d,]+$/);
      await page.getByRole('progressbar').waitFor();
      await shot(page, '11-waiting-room');
      await page.reload();
      // Still waiting: the same number; or admitted meanwhile: already on the seat map.
      const after = await Promise.race([
        page
          .getByTestId('queue-ticket')
          .waitFor({ timeout: 30_000 })
          .then(() => page.getByTestId('queue-ticket').textContent()),
        page.waitForURL(`**/events/${STADIUM_QUEUE}/seats`, { timeout: 30_000 }).then(() => 'admitted'),
      ]);
      if (after !== 'admitted') expect(after).toBe(ticket);
    }
    // Admission moves the fan on without a click.
    await page.waitForURL(`**/events/${STADIUM_QUEUE}/seats`, { timeout: 150_000 });
    // The stadium opens on its block overview: pick a block (tapped on its number, as a fan
    // would on an arc), then a seat in it.
    await page.getByTestId('venue-overview').waitFor();
    const block = page.locator('[data-block-id="2"]');
    const numberBox = (await block.locator('text').first().boundingBox())!;
    await page.mouse.click(numberBox.x + numberBox.width / 2, numberBox.y + numberBox.height / 2);
    const seat = page.locator('[data-testid="block-seats"] [data-seat-id][data-status="available"]').first();
    await seat.click();
    await page.getByTestId('reserve').click();
    await page.waitForURL('**/checkout/*');
    await page.getByLabel('네이버페이').check();
    await page.getByTestId('pay').click();
    await page.waitForURL('**/reservations/*/confirmation');
    await shot(page, '12-queue-confirmation');
  });
});
