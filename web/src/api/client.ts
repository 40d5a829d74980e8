// The one HTTP client: axios with the signed-in token, and every failure turned into an
// ApiError carrying the envelope's code and per-field messages.
import axios, { AxiosError, type AxiosRequestConfig } from 'axios';

import type {
  AdminEvent,
  CancelImpact,
  AdminReservation,
  AuditEntry,
  DashboardStats,
  Event,
  EventDetail,
  EventInput,
  Layout,
  Pagination,
  Payment,
  MethodView,
  QueueStatus,
  Reservation,
  SeatMap,
  BlockMap,
  BlockSeats,
  Section,
  User,
} from './models';
import type { PowChallenge } from '../lib/pow';
import { codeText, fieldText, type FieldProblem } from '../i18n/errors';
import type { Lang } from '../lib/time';

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    /** In the fan's language (see `i18n/errors.ts`); the server's English is `serverMessage`. */
    message: string,
    /** Per-field texts of a 422 VALIDATION_FAILED in the fan's language, keyed by JSON field name. */
    public fields: Record<string, string> = {},
    public details: Record<string, unknown> = {},
    public retryAfter?: number,
    /** Machine-readable reason per field (`details.reasons`). */
    public reasons: Record<string, FieldProblem> = {},
    public serverMessage: string = message,
  ) {
    super(message);
  }
}

/** The language the fan chose (the I18n provider keeps it in localStorage). */
export function storedLang(): Lang {
  try {
    return localStorage.getItem('tiketi.lang') === 'en' ? 'en' : 'ko';
  } catch {
    return 'ko';
  }
}

/** A failure that never got the api's envelope: no connection, a timeout, a proxy's page. */
function bareFailure(ax: AxiosError, lang: Lang): ApiError {
  const status = ax.response?.status ?? 0;
  const code = !ax.response
    ? ax.code === 'ECONNABORTED' || ax.code === 'ETIMEDOUT'
      ? 'TIMEOUT'
      : 'NETWORK'
    : status >= 500
      ? 'SERVER_ERROR'
      : 'HTTP_ERROR';
  return new ApiError(status, code, codeText(lang, code, status), {}, {}, undefined, {}, ax.message);
}

/** Reads `{"error": {code, message, details}}` into an ApiError whose texts are in the fan's
 *  language; validation details carry `{fields: {name: msg}, reasons: {name: {reason, params}}}`
 *  (older answers: `{name: msg}`). */
export function toApiError(err: unknown, lang: Lang = storedLang()): ApiError {
  if (err instanceof ApiError) return err;
  const ax = err as AxiosError<{ error?: { code?: string; message?: string; details?: Record<string, unknown> } }>;
  if (ax?.isAxiosError) {
    const body = ax.response?.data?.error;
    if (!ax.response || !body?.code) return bareFailure(ax, lang);
    const details = (body.details ?? {}) as Record<string, unknown>;
    const rawFields =
      details.fields && typeof details.fields === 'object'
        ? (details.fields as Record<string, unknown>)
        : body.code === 'VALIDATION_FAILED'
          ? details
          : {};
    const reasons: Record<string, FieldProblem> = {};
    if (details.reasons && typeof details.reasons === 'object') {
      for (const [k, v] of Object.entries(details.reasons as Record<string, unknown>)) {
        if (v && typeof v === 'object' && typeof (v as FieldProblem).reason === 'string') reasons[k] = v as FieldProblem;
      }
    }
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(rawFields)) {
      if (typeof v !== 'string') continue;
      // Without a reason (an older server) English readers still get the server's sentence.
      fields[k] = reasons[k] || lang === 'ko' ? fieldText(lang, reasons[k] ?? { reason: 'invalid' }) : v;
    }
    const ra = Number(ax.response.headers?.['retry-after']);
    return new ApiError(
      ax.response.status,
      body.code,
      codeText(lang, body.code, ax.response.status),
      fields,
      details,
      Number.isFinite(ra) ? ra : undefined,
      reasons,
      body.message ?? ax.message,
    );
  }
  return new ApiError(0, 'UNKNOWN', codeText(lang, 'UNKNOWN'), {}, {}, undefined, {}, err instanceof Error ? err.message : String(err));
}

const TOKEN_KEY = 'tiketi.token';

export const tokenStore = {
  get: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (t: string | null) => (t ? localStorage.setItem(TOKEN_KEY, t) : localStorage.removeItem(TOKEN_KEY)),
};

const http = axios.create({ baseURL: '/', timeout: 20_000 });
http.interceptors.request.use((config) => {
  const token = tokenStore.get();
  if (token) config.headers.set('Authorization', `Bearer ${token}`);
  return config;
});

export async function call<T>(config: AxiosRequestConfig): Promise<T> {
  try {
    const res = await http.request<T>(config);
    return res.data;
  } catch (e) {
    throw toApiError(e);
  }
}

async function callWithStatus<T>(config: AxiosRequestConfig): Promise<{ status: number; data: T }> {
  try {
    const res = await http.request<T>(config);
    return { status: res.status, data: res.data };
  } catch (e) {
    throw toApiError(e);
  }
}

const admission = (token?: string | null) => (token ? { 'X-Admission-Token': token } : undefined);

export type ReserveAnswer =
  | { kind: 'reserved'; reservation: Reservation; expiresAt: string }
  | { kind: 'accepted'; requestId: string };

export type RequestOutcome =
  | { requestId: string; status: 'pending' }
  | { requestId: string; status: 'reserved'; reservation: Reservation }
  | { requestId: string; status: 'rejected'; error: { code: string; message: string; details?: Record<string, unknown> } };

export interface ListParams {
  status?: string;
  q?: string;
  page?: number;
  limit?: number;
}

export const api = {
  register: (body: { name: string; email: string; password: string; locale?: 'ko' | 'en' }) =>
    call<{ token: string; user: User }>({ method: 'POST', url: '/api/auth/register', data: body }),
  login: (body: { email: string; password: string }) =>
    call<{ token: string; user: User }>({ method: 'POST', url: '/api/auth/login', data: body }),
  me: () => call<{ user: User }>({ url: '/api/auth/me' }),
  /** The signed-in user's settings: the language of their e-mails. */
  updateMe: (body: { locale: 'ko' | 'en' }) => call<{ user: User }>({ method: 'PATCH', url: '/api/auth/me', data: body }),
  logout: () => call<void>({ method: 'POST', url: '/api/auth/logout' }),

  events: (params: ListParams) =>
    call<{ events: Event[]; pagination: Pagination }>({ url: '/api/events', params }),
  event: (id: string) => call<EventDetail>({ url: `/api/events/${id}` }),
  seatMap: (eventId: string) => call<SeatMap>({ url: `/api/seats/events/${eventId}` }),
  blockMap: (eventId: string) => call<BlockMap>({ url: `/api/seats/events/${eventId}/blocks` }),
  blockSeats: (eventId: string, blockId: number) => call<BlockSeats>({ url: `/api/seats/events/${eventId}/blocks/${blockId}` }),
  layouts: () => call<{ layouts: Layout[] }>({ url: '/api/seats/layouts' }),

  reserveSeats: async (eventId: string, seatIds: string[], idempotencyKey: string, admissionToken?: string | null): Promise<ReserveAnswer> => {
    const { status, data } = await callWithStatus<{ reservation: Reservation; expiresAt: string; requestId: string }>({
      method: 'POST',
      url: '/api/seats/reserve',
      data: { eventId, seatIds },
      headers: { 'Idempotency-Key': idempotencyKey, ...admission(admissionToken) },
    });
    return status === 202
      ? { kind: 'accepted', requestId: data.requestId }
      : { kind: 'reserved', reservation: data.reservation, expiresAt: data.expiresAt };
  },
  orderTickets: async (eventId: string, items: { ticketTypeId: string; quantity: number }[], idempotencyKey: string, admissionToken?: string | null): Promise<ReserveAnswer> => {
    const { status, data } = await callWithStatus<{ reservation: Reservation; expiresAt: string; requestId: string }>({
      method: 'POST',
      url: '/api/reservations',
      data: { eventId, items },
      headers: { 'Idempotency-Key': idempotencyKey, ...admission(admissionToken) },
    });
    return status === 202
      ? { kind: 'accepted', requestId: data.requestId }
      : { kind: 'reserved', reservation: data.reservation, expiresAt: data.expiresAt };
  },
  requestOutcome: (requestId: string) => call<RequestOutcome>({ url: `/api/seats/requests/${requestId}` }),

  myReservations: () => call<{ reservations: Reservation[] }>({ url: '/api/reservations/my' }),
  reservation: (id: string) => call<{ reservation: Reservation }>({ url: `/api/reservations/${id}` }),
  cancelReservation: (id: string) =>
    call<{ reservation: Reservation }>({ method: 'POST', url: `/api/reservations/${id}/cancel` }),

  paymentMethods: () => call<{ methods: MethodView[] }>({ url: '/api/payments/methods' }),
  pay: (reservationId: string, paymentMethod: string, idempotencyKey: string, admissionToken?: string | null) =>
    call<{ payment: Payment; reservation: Reservation }>({
      method: 'POST',
      url: '/api/payments/process',
      data: { reservationId, paymentMethod },
      headers: { 'Idempotency-Key': idempotencyKey, ...admission(admissionToken) },
    }),

  queueChallenge: (eventId: string) => call<PowChallenge>({ url: `/api/queue/${eventId}/challenge` }),
  /** `solution`: a solved proof-of-work challenge, for rooms that ask for one. */
  queueJoin: (eventId: string, solution?: string) =>
    call<QueueStatus>({
      method: 'POST',
      url: `/api/queue/${eventId}/join`,
      headers: solution ? { 'X-Altcha': solution } : undefined,
    }),
  queueStatus: (eventId: string) => call<QueueStatus>({ url: `/api/queue/${eventId}/status` }),
  queueLeave: (eventId: string) => call<void>({ method: 'DELETE', url: `/api/queue/${eventId}` }),

  admin: {
    stats: () => call<{ stats: DashboardStats }>({ url: '/api/admin/dashboard/stats' }),
    events: (params: ListParams) =>
      call<{ events: AdminEvent[]; pagination: Pagination }>({ url: '/api/admin/events', params }),
    createEvent: (body: EventInput) => call<{ event: Event }>({ method: 'POST', url: '/api/admin/events', data: body }),
    updateEvent: (id: string, body: EventInput) =>
      call<{ event: Event }>({ method: 'PUT', url: `/api/admin/events/${id}`, data: body }),
    /** Sends the file itself as the body; `onProgress` gets the fraction sent (0..1). */
    uploadPoster: (id: string, file: Blob, onProgress?: (fraction: number) => void) =>
      call<{ event: Event }>({
        method: 'POST',
        url: `/api/admin/events/${id}/poster`,
        data: file,
        headers: { 'Content-Type': 'application/octet-stream' },
        timeout: 120_000,
        onUploadProgress: (e) => onProgress?.(e.total ? e.loaded / e.total : 0),
      }),
    cancelEvent: (id: string, reason?: string) =>
      call<{ event: Event; cancelledReservations: number; refundedPayments: number }>({
        method: 'POST',
        url: `/api/admin/events/${id}/cancel`,
        data: { reason },
      }),
    cancelImpact: (id: string) => call<{ impact: CancelImpact }>({ url: `/api/admin/events/${id}/cancel-impact` }),
    /** The event's reservations or sales as a CSV file (fetched with the token, then saved). */
    exportCsv: (id: string, kind: 'reservations' | 'sales') =>
      call<Blob>({ url: `/api/admin/events/${id}/${kind}.csv`, responseType: 'blob', timeout: 300_000 }),
    reservations: (params: Record<string, string | number | undefined>) =>
      call<{ reservations: AdminReservation[]; pagination: Pagination }>({ url: '/api/admin/reservations', params }),
    layouts: () => call<{ layouts: Layout[] }>({ url: '/api/admin/layouts' }),
    createLayout: (body: { name: string; venue?: string; sections: Section[] }) =>
      call<{ layout: Layout }>({ method: 'POST', url: '/api/admin/layouts', data: body }),
    audit: (params: Record<string, string | number | undefined>) =>
      call<{ entries: AuditEntry[]; pagination: Pagination }>({ url: '/api/admin/audit', params }),
  },
};

/** A fresh key per checkout attempt; a retry of the same attempt reuses it. */
export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
