// The gate page reading a real ticket through a camera: Chromium's fake capture device
// plays a Y4M video of the ticket's QR code (drawn here from the code the API signed), the
// page decodes the frames, asks the server and shows the big green answer with the seat;
// a second gate shown the same ticket answers "already admitted" with the first gate's name.
// Then that gate works offline: a second ticket typed in is admitted on the device, and the
// admission, kept in IndexedDB, survives a reload and reaches the server afterwards.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import QRCode from 'qrcode';
import { afterAll, describe, expect, it } from 'vitest';

import { apiJson, apiLogin, bookAndPay, endpointExists, loginViaUi, openBrowser, registerFan, seatedEventOnSale, shot, uniqueEmail, type Browser } from './support';

const gate = await endpointExists('/api/checkin/me');
if (!gate.ok) console.warn(`gate camera test skipped: ${gate.reason}`);

interface Seat {
  section: string;
  row: string;
  number: number;
}

/** The video side: a square frame, I420 planes, so Chromium plays it as is. */
const FRAME = 320;

/**
 * A Y4M file showing `text` as a QR code, still on a white background (a few identical
 * frames; Chromium loops the file). Luma carries the black and white modules; the
 * chroma planes stay neutral grey, so the picture has no colour.
 */
function qrVideoY4m(text: string, frames = 2): Buffer {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'L' });
  const quiet = 4;
  const modules = qr.modules.size;
  const scale = Math.floor(FRAME / (modules + 2 * quiet));
  if (scale < 3) throw new Error(`QR version ${qr.version} (${modules} modules) is too dense for ${FRAME}px`);
  const offset = Math.floor((FRAME - modules * scale) / 2);
  const y = Buffer.alloc(FRAME * FRAME, 235);
  for (let my = 0; my < modules; my++) {
    for (let mx = 0; mx < modules; mx++) {
      if (!qr.modules.get(my, mx)) continue;
      for (let dy = 0; dy < scale; dy++) {
        const row = (offset + my * scale + dy) * FRAME;
        y.fill(16, row + offset + mx * scale, row + offset + (mx + 1) * scale);
      }
    }
  }
  const chroma = Buffer.alloc((FRAME / 2) * (FRAME / 2) * 2, 128);
  const header = Buffer.from(`YUV4MPEG2 W${FRAME} H${FRAME} F5:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const frame = Buffer.concat([Buffer.from('FRAME\n', 'ascii'), y, chroma]);
  return Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]);
}

describe.skipIf(!gate.ok)(`gate camera${gate.ok ? '' : ` (skipped: ${gate.reason})`}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiketi-gate-video-'));
  const video = join(dir, 'ticket.y4m');
  const browsers: Browser[] = [];
  let eventId = '';
  let code = '';
  let seat: Seat;
  /** The booking's other ticket, admitted offline. */
  let secondCode = '';
  let admin = '';
  const gates = [
    { gate: 'North 1', email: uniqueEmail('gate-north'), password: 'gate-pass-1234' },
    { gate: 'South 2', email: uniqueEmail('gate-south'), password: 'gate-pass-1234' },
  ];

  /** A fan books and pays two seats through the API; the admin makes two gate accounts. */
  async function paidTicketAndGates() {
    const event = await seatedEventOnSale(1).catch(() => seatedEventOnSale());
    eventId = event.id;
    const fan = await registerFan('gate-fan');
    const { id: reservationId } = await bookAndPay(fan.token, eventId, 2);

    // Its signed tickets: the codes the QR codes on the fan's phone carry.
    await expect
      .poll(
        async () => {
          const r = await apiJson<{ tickets: { code: string; seat: Seat | null }[] }>(`/api/reservations/${reservationId}/tickets`, { token: fan.token });
          const [first, second] = r.body.tickets ?? [];
          if (first?.seat && second) {
            code = first.code;
            seat = first.seat;
            secondCode = second.code;
          }
          return r.body.tickets?.length ?? 0;
        },
        { timeout: 15_000 },
      )
      .toBe(2);
    writeFileSync(video, qrVideoY4m(code));

    // Two gate accounts for the event, made by the admin.
    admin = await apiLogin('admin@tiketi.gg', 'admin123');
    for (const g of gates) {
      const r = await apiJson(`/api/admin/events/${eventId}/gates`, {
        method: 'POST',
        token: admin,
        body: JSON.stringify({ email: g.email, name: `Gate ${g.gate}`, gate: g.gate, password: g.password }),
      });
      expect(r.status).toBe(201);
    }
  }

  afterAll(async () => {
    for (const b of browsers) await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function gateBrowser(g: (typeof gates)[number]): Promise<Browser> {
    const b = await openBrowser({
      args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
      permissions: ['camera'],
    });
    browsers.push(b);
    await loginViaUi(b.page, g.email, g.password);
    await b.page.goto('/gate');
    await b.page.getByTestId('gate').waitFor();
    return b;
  }

  it('admits the ticket shown to the camera, with its seat, and the next gate refuses it naming the first', async () => {
    await paidTicketAndGates();
    const north = await gateBrowser(gates[0]);
    const result = north.page.getByTestId('gate-result');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.getAttribute('data-result')).toBe('admitted');
    expect(await result.textContent()).toContain('입장 가능');
    expect(await north.page.getByTestId('gate-seat').textContent()).toBe(`${seat.section}구역 ${seat.row}열 ${seat.number}번`);
    // Green, large: readable at arm's length in a crowd.
    expect(await result.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(5, 150, 105)');
    await shot(north.page, '21-gate-camera-admitted');

    // The same phone shown at another gate.
    const south = await gateBrowser(gates[1]);
    const again = south.page.getByTestId('gate-result');
    await again.waitFor({ timeout: 20_000 });
    expect(await again.getAttribute('data-result')).toBe('duplicate');
    expect(await again.textContent()).toContain('이미 입장함');
    expect(await south.page.getByTestId('gate-first').textContent()).toContain(gates[0].gate);
    expect(await again.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(220, 38, 38)');
    await shot(south.page, '22-gate-camera-duplicate');

    // The first gate still shows its own answer: one scan per ticket held in view.
    expect(await result.getAttribute('data-result')).toBe('admitted');

    // The second gate goes offline and admits the other ticket on its own.
    const admitted = async () =>
      (await apiJson<{ stats: { admitted: number; perGate: { gate: string; admitted: number }[] } }>(`/api/admin/events/${eventId}/checkin`, { token: admin }))
        .body.stats;
    expect((await admitted()).admitted).toBe(1);
    await south.page.getByTestId('gate-work-offline').check();
    await south.page.getByTestId('gate-manual').fill(secondCode);
    await south.page.getByTestId('gate-manual').press('Enter');
    await expect.poll(() => again.getAttribute('data-result')).toBe('admitted');
    expect(await again.textContent()).toContain('오프라인 판정');
    // The other seat of the booking, read from the signed claims on the device.
    expect(await south.page.getByTestId('gate-seat').textContent()).not.toBe(`${seat.section}구역 ${seat.row}열 ${seat.number}번`);
    expect(await south.page.getByTestId('gate-connection').textContent()).toContain('업로드 대기 1건');
    const stored = await south.page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('tiketi-gate');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const count = open.result.transaction('pending').objectStore('pending').count();
            count.onsuccess = () => {
              resolve(count.result);
              open.result.close();
            };
          };
        }),
    );
    expect(stored).toBe(1);
    await shot(south.page, '23-gate-offline-admitted');
    // Nothing reached the server while offline.
    expect((await admitted()).admitted).toBe(1);

    // A reload (a crash, a dead battery) loses nothing: back online, the stored admission uploads.
    await south.page.reload();
    await south.page.getByTestId('gate').waitFor();
    await expect.poll(async () => (await admitted()).perGate.find((g) => g.gate === gates[1].gate)?.admitted, { timeout: 15_000 }).toBe(1);
    expect((await admitted()).admitted).toBe(2);
    await expect.poll(() => south.page.getByTestId('gate-connection').textContent()).toContain('업로드 대기 0건');
  });
});
