// Browser-test plumbing: Debian's Chromium driven by playwright-core against a running
// stack (TIKETI_WEB_URL), each browser with a fresh profile directory; screenshots go to
// test-results/screenshots/ beside the test output.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const BASE = (process.env.TIKETI_WEB_URL ?? 'http://127.0.0.1:3501').replace(/\/$/, '');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = join(process.cwd(), 'test-results', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  close: () => Promise<void>;
}

/** A browser of its own (fresh --user-data-dir), optionally in another time zone, with
 *  extra command-line flags (e.g. a fake camera) and permissions granted up front. */
export async function openBrowser(
  opts: { timezoneId?: string; locale?: string; args?: string[]; permissions?: string[] } = {},
): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'tiketi-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...FLAGS, ...(opts.args ?? [])],
    permissions: opts.permissions,
    viewport: { width: 1280, height: 900 },
    timezoneId: opts.timezoneId,
    locale: opts.locale ?? 'ko-KR',
    baseURL: BASE,
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      if (errors.length) throw new Error(`uncaught errors in the page:\n${errors.join('\n')}`);
    },
  };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

export function uniqueEmail(tag: string): string {
  return `e2e-${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@example.com`;
}

export async function apiJson<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(init.headers as Record<string, string>) };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(`${BASE}${path}`, { ...init, headers });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

export async function registerFan(tag: string): Promise<{ email: string; password: string; token: string }> {
  const email = uniqueEmail(tag);
  const password = 'e2e-pass-1234';
  const r = await apiJson<{ token: string }>('/api/auth/register', {
    method: 'POST',
    body: JSON.stringify({ name: `E2E ${tag}`, email, password }),
  });
  if (r.status !== 201) throw new Error(`register ${email}: ${r.status} ${JSON.stringify(r.body)}`);
  return { email, password, token: r.body.token };
}

export async function loginViaUi(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(/이메일|Email/).fill(email);
  await page.getByLabel(/비밀번호|Password/).fill(password);
  await page.getByRole('button', { name: /^(로그인|Log in)$/ }).click();
  await page.getByTestId('user-name').waitFor();
}

interface EventSummary {
  id: string;
  title: string;
  seating: string;
  status: string;
  queue: { enabled: boolean };
  availability: { total: number; available: number };
}

/** An on-sale seated event without the waiting room, smallest first (`skip` of them skipped). */
export async function seatedEventOnSale(skip = 0): Promise<EventSummary> {
  const r = await apiJson<{ events: EventSummary[] }>('/api/events?status=on_sale&limit=100');
  const found = r.body.events
    .filter((e) => e.seating === 'reserved' && !e.queue.enabled && e.availability.available > 10)
    .sort((a, b) => a.availability.total - b.availability.total);
  if (found.length <= skip) throw new Error('no seated on-sale event in the seed');
  return found[skip];
}

/** Whether an endpoint exists in this build: an unknown /api path answers 404 ROUTE_NOT_FOUND. */
export async function endpointExists(path: string): Promise<{ ok: boolean; reason: string }> {
  try {
    const r = await apiJson<{ error?: { code?: string } }>(path);
    if (r.status === 404 && r.body?.error?.code === 'ROUTE_NOT_FOUND') {
      return { ok: false, reason: `GET ${path} answers 404 ROUTE_NOT_FOUND: that API is not in this build yet` };
    }
    return { ok: true, reason: '' };
  } catch (e) {
    return { ok: false, reason: `cannot reach ${BASE}: ${String(e)}` };
  }
}

/** Holds `seats` available seats of `eventId` for the fan and pays for them (the simulated
 *  provider confirms at once); returns the confirmed reservation. */
export async function bookAndPay(token: string, eventId: string, seats: number): Promise<{ id: string; code: string }> {
  const map = await apiJson<{ seats: { id: string; status: string }[] }>(`/api/seats/events/${eventId}`);
  const seatIds = map.body.seats.filter((s) => s.status === 'available').slice(-seats).map((s) => s.id);
  if (seatIds.length < seats) throw new Error(`fewer than ${seats} available seats in event ${eventId}`);
  const held = await apiJson<{ reservation: { id: string } }>('/api/seats/reserve', {
    method: 'POST',
    token,
    body: JSON.stringify({ eventId, seatIds }),
  });
  if (held.status !== 201) throw new Error(`reserve: ${held.status} ${JSON.stringify(held.body)}`);
  const reservationId = held.body.reservation.id;
  const paid = await apiJson<{ reservation: { id: string; code: string; status: string } }>('/api/payments/process', {
    method: 'POST',
    token,
    headers: { 'Idempotency-Key': `e2e-${reservationId}` },
    body: JSON.stringify({ reservationId, paymentMethod: 'kakao_pay' }),
  });
  if (paid.status !== 200 || paid.body.reservation.status !== 'confirmed') throw new Error(`pay: ${paid.status} ${JSON.stringify(paid.body)}`);
  return { id: paid.body.reservation.id, code: paid.body.reservation.code };
}

export async function apiLogin(email: string, password: string): Promise<string> {
  const r = await apiJson<{ token: string }>('/api/auth/login', { method: 'POST', body: JSON.stringify({ email, password }) });
  if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}
