// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';

import { ApiError } from '../api/client';
import { downloadTicketsPdf, pdfFilename, type PdfDeps } from './pdf';

const RESERVATION = { id: '5b1e0c2a-7d3f-4a9e-8c61-0f2d3e4a5b6c', code: 'TK-7Q2M9' };
const PDF = new TextEncoder().encode('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj <<>> endobj\n%%EOF\n');

function deps(respond: (url: string, init?: RequestInit) => Promise<Response>, token: string | null = 'jwt-abc') {
  const fetch = vi.fn(respond);
  const save = vi.fn<PdfDeps['save']>();
  return { fetch, save, deps: { fetch: fetch as unknown as typeof globalThis.fetch, token, save } };
}

describe('PDF tickets download', () => {
  it('fetches the PDF with the bearer token and saves it under the server-given name', async () => {
    const d = deps(async () => new Response(PDF, { headers: { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="tiketi-TK-7Q2M9.pdf"' } }));
    await downloadTicketsPdf(RESERVATION, d.deps);
    expect(d.fetch).toHaveBeenCalledTimes(1);
    const [url, init] = d.fetch.mock.calls[0];
    expect(url).toBe(`/api/reservations/${RESERVATION.id}/tickets.pdf`);
    expect((init?.headers as Record<string, string>).Authorization).toBe('Bearer jwt-abc');
    expect(d.save).toHaveBeenCalledTimes(1);
    const [file, name] = d.save.mock.calls[0];
    expect(name).toBe('tiketi-TK-7Q2M9.pdf');
    expect(file.type).toBe('application/pdf');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PDF);
  });

  it('names the file after the booking code when the server gives no usable name', async () => {
    const d = deps(async () => new Response(PDF, { headers: { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="../../x y.pdf"' } }));
    await downloadTicketsPdf(RESERVATION, d.deps);
    expect(d.save.mock.calls[0][1]).toBe('tiketi-TK-7Q2M9.pdf');
    expect(pdfFilename(null, 'A/B C')).toBe('tiketi-ABC.pdf');
  });

  it('turns the error envelope into an ApiError and saves nothing', async () => {
    const d = deps(
      async () =>
        new Response(JSON.stringify({ error: { code: 'RESERVATION_NOT_FOUND', message: 'no such reservation' } }), {
          status: 404,
          headers: { 'content-type': 'application/json' },
        }),
    );
    const err = await downloadTicketsPdf(RESERVATION, d.deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, code: 'RESERVATION_NOT_FOUND' });
    expect(d.save).not.toHaveBeenCalled();
  });

  it('refuses a non-PDF answer (e.g. the app shell of a missing route) and a dropped connection', async () => {
    const html = deps(async () => new Response('<!doctype html><html></html>', { headers: { 'content-type': 'text/html' } }));
    await expect(downloadTicketsPdf(RESERVATION, html.deps)).rejects.toMatchObject({ code: 'NOT_A_PDF' });
    expect(html.save).not.toHaveBeenCalled();

    const down = deps(async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(downloadTicketsPdf(RESERVATION, down.deps)).rejects.toMatchObject({ status: 0, code: 'NETWORK' });
  });

  it('sends no Authorization header without a token', async () => {
    const d = deps(async () => new Response(PDF, { headers: { 'content-type': 'application/pdf' } }), null);
    await downloadTicketsPdf(RESERVATION, d.deps);
    expect(d.fetch.mock.calls[0][1]?.headers).not.toHaveProperty('Authorization');
  });
});
