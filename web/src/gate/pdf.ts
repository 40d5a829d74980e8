// A reservation's tickets as one PDF (GET /api/reservations/{id}/tickets.pdf), for fans
// who print or forward them. The route wants the bearer token, so a plain link cannot
// fetch it: the file comes down as a blob and is handed to the browser as a download.
import { ApiError } from '../api/client';

export interface PdfDeps {
  fetch: typeof fetch;
  token: string | null;
  /** Hands the file to the user (a download in the browser). */
  save: (file: Blob, filename: string) => void;
}

export const ticketsPdfUrl = (reservationId: string) => `/api/reservations/${encodeURIComponent(reservationId)}/tickets.pdf`;

/** The server's file name when it gives a plain one, else one made from the booking code. */
export function pdfFilename(contentDisposition: string | null, reservationCode: string): string {
  const named = /filename="?([A-Za-z0-9._-]+\.pdf)"?/i.exec(contentDisposition ?? '');
  return named?.[1] ?? `tiketi-${reservationCode.replace(/[^A-Za-z0-9_-]/g, '')}.pdf`;
}

/** Downloads the PDF tickets; a failed request raises the envelope's ApiError. */
export async function downloadTicketsPdf(reservation: { id: string; code: string }, deps: PdfDeps): Promise<void> {
  let res: Response;
  try {
    res = await deps.fetch(ticketsPdfUrl(reservation.id), {
      headers: { Accept: 'application/pdf', ...(deps.token ? { Authorization: `Bearer ${deps.token}` } : {}) },
    });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', e instanceof Error ? e.message : 'network error');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText);
  }
  const file = await res.blob();
  if (!file.type.includes('pdf')) throw new ApiError(res.status, 'NOT_A_PDF', `expected a PDF, got ${file.type || 'no type'}`);
  deps.save(file, pdfFilename(res.headers.get('content-disposition'), reservation.code));
}

/** The browser's download: a temporary object URL behind a clicked link. */
export function saveInBrowser(file: Blob, filename: string) {
  const url = URL.createObjectURL(file);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // After the click has started the download.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
