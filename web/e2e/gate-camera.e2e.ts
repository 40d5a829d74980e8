// The gate page reading a real ticket through a camera: Chromium's fake capture device
// plays a Y4M video of the ticket's QR code (drawn here from the code the API signed), the
// page decodes the frames, asks the server and shows the big green answer with the seat;
// a second gate shown the same ticket answers "already admitted" with the first gate's name.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import QRCode from 'qrcode';
import { afterAll, describe, expect, it } from 'vitest';

import { apiJson, endpointExists, loginViaUi, openBrowser, registerFan, seatedEventOnSale, shot, uniqueEmail, type Browser } from './support';

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

async function login(email: string, password: string): Promise<string> {
  const r = await apiJson<{ token: string }>('/api/auth/login', { method: 'POST', body: JSON.stringify({ email, password }) });
  if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}

describe.skipIf(!gate.ok)(`gate camera${gate.ok ? '' : ` (skipped: ${gate.reason})`}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiketi-gate-video-'));
  const video = join(dir, 'ticket.y4m');
  const browsers: Browser[] = [];
  let eventId = '';
  let code = '';
  let seat: Seat;
  const gates = [
    { gate: 'North 1', email: uniqueEmail('gate-north'), password: 'gate-pass-1234' },
    { gate: 'South 2', email: uniqueEmail('gate-south'), password: 'gate-pass-1234' },
  ];

  /** A fan books and pays one seat through the API; the admin makes two gate accounts. */
  async function paidTicketAndGates() {
    const event = await seatedEventOnSale(1).catch(() => seatedEventOnSale());
    eventId = event.id;
    const map = await apiJson<{ seats: { id: string; status: string }[] }>(`/api/seats/events/${eventId}`);
    const free = map.body.seats.filter((s) => s.status === 'available');
    const seatId = free[free.length - 1]?.id;
    if (!seatId) throw new Error(`no available seat in ${event.title}`);
    const fan = await registerFan('gate-fan');
    const held = await apiJson<{ reservation: { id: string } }>('/api/seats/reserve', {
      method: 'POST',
      token: fan.token,
      body: JSON.stringify({ eventId, seatIds: [seatId] }),
    });
    expect(held.status).toBe(201);
    const reservationId = held.body.reservation.id;
    const paid = await apiJson<{ reservation: { status: string } }>('/api/payments/process', {
      method: 'POST',
      token: fan.token,
      headers: { 'Idempotency-Key': `gate-e2e-${reservationId}` },
      body: JSON.stringify({ reservationId, paymentMethod: 'kakao_pay' }),
    });
    expect(paid.status).toBe(200);
    expect(paid.body.reservation.status).toBe('confirmed');

    // Its signed ticket: the code a QR on the fan's phone carries.
    await expect
      .poll(
        async () => {
          const r = await apiJson<{ tickets: { code: string; seat: Seat | null }[] }>(`/api/reservations/${reservationId}/tickets`, { token: fan.token });
          const ticket = r.body.tickets?.[0];
          if (ticket?.seat) {
            code = ticket.code;
            seat = ticket.seat;
          }
          return r.body.tickets?.length ?? 0;
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    writeFileSync(video, qrVideoY4m(code));

    // Two gate accounts for the event, made by the admin.
    const admin = await login('admin@tiketi.gg', 'admin123');
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
  });
});
