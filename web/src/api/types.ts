// Wire shapes of the Tiketi API (camelCase JSON; instants are RFC 3339 with the event's offset).

export type EventStatus = 'upcoming' | 'on_sale' | 'sold_out' | 'ended' | 'cancelled';
export const EVENT_STATUSES: EventStatus[] = ['on_sale', 'upcoming', 'sold_out', 'ended', 'cancelled'];

export interface QueueSettings {
  enabled: boolean;
  strategy: 'rate' | 'max_active' | string;
  ratePerMinute: number;
  maxActive: number;
  windowSeconds: number;
  prequeueMinutes: number;
  shuffle: boolean;
}

export interface Event {
  id: string;
  title: string;
  /** English title; empty when there is none. */
  titleEn: string;
  description: string;
  artist: string;
  /** English artist name; empty when there is none. */
  artistEn: string;
  category: string;
  venue: string;
  address: string;
  posterUrl: string | null;
  timezone: string;
  startsAt: string;
  saleStart: string;
  saleEnd: string;
  status: EventStatus;
  seating: 'reserved' | 'general';
  layoutId: string | null;
  layoutName: string | null;
  minPrice: number | null;
  maxPrice: number | null;
  availability: { total: number; available: number };
  queue: QueueSettings;
  /** Seats and tickets one fan may have for this event across reservations. */
  maxTicketsPerFan?: number | null;
  /** Proof-of-work difficulty asked before joining the waiting room. */
  powDifficulty?: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface Pagination {
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

export interface TicketType {
  id: string | null;
  name: string;
  price: number;
  total: number;
  remaining: number;
}

export interface EventDetail {
  event: Event;
  ticketTypes: TicketType[];
  availability: { total: number; available: number; held: number; sold: number };
}

export interface Section {
  name: string;
  rows: number;
  seatsPerRow: number;
  price: number;
  color?: string;
}

export interface Layout {
  id: string;
  name: string;
  description: string;
  totalSeats: number;
  sections: Section[];
}

export type SeatStatus = 'available' | 'held' | 'sold';

export interface Seat {
  id: string;
  section: string;
  row: string;
  number: number;
  price: number;
  status: SeatStatus;
}

export interface SeatMap {
  eventId: string;
  layout: Layout | null;
  seats: Seat[];
  seq: number;
}

export type ReservationStatus = 'pending' | 'confirmed' | 'cancelled' | 'expired';

export interface ReservationItem {
  seatId: string | null;
  section: string | null;
  row: string | null;
  number: number | null;
  ticketTypeId: string | null;
  ticketTypeName: string | null;
  quantity: number;
  unitPrice: number;
}

export interface Reservation {
  id: string;
  code: string;
  event: { id: string; title: string; venue: string; startsAt: string; timezone: string };
  status: ReservationStatus;
  totalAmount: number;
  expiresAt: string;
  createdAt: string;
  confirmedAt: string | null;
  cancelledAt: string | null;
  expiredAt: string | null;
  items: ReservationItem[];
  payment: {
    id: string;
    method: string;
    amount: number;
    status: string;
    createdAt: string;
    refundedAt: string | null;
  } | null;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: 'fan' | 'admin';
  createdAt: string;
}

export interface PaymentMethod {
  id: string;
  name: string;
  nameEn: string;
}

export interface Payment {
  id: string;
  reservationId: string;
  method: string;
  amount: number;
  status: string;
  providerRef: string | null;
  failureReason: string | null;
  createdAt: string;
  refundedAt: string | null;
}

export type QueueState = 'prequeue' | 'waiting' | 'admitted' | 'expired';

export interface QueueStatus {
  eventId: string;
  ticket: number;
  ahead: number;
  etaSeconds: number | null;
  status: QueueState;
  admissionToken?: string;
  expiresAt?: string;
  saleStart: string;
  /** When to ask again (the server says sooner near the front). */
  pollAfterSeconds?: number;
}

// ---- admin ----

export interface Sales {
  total: number;
  sold: number;
  held: number;
  available: number;
  revenue: number;
}

export type AdminEvent = Event & { sales: Sales };

export interface DashboardStats {
  eventsByStatus: Record<string, number>;
  reservationsByStatus: Record<string, number>;
  revenue: { total: number; today: number };
  onSale: {
    eventId: string;
    title: string;
    total: number;
    sold: number;
    held: number;
    available: number;
    sellThrough: number;
  }[];
  holdsExpiringSoon: number;
  queues: { eventId: string; title: string; waiting: number; active: number }[];
  generatedAt: string;
}

export type AdminReservation = Reservation & {
  user: { id: string; name: string; email: string };
  eventTitle: string;
};

export interface AuditEntry {
  id: string;
  actor: { id: string; email: string } | null;
  action: string;
  entityType: string;
  entityId: string;
  changes: Record<string, { before: unknown; after: unknown }> | null;
  at: string;
}

export interface EventInput {
  title?: string;
  titleEn?: string;
  description?: string;
  artist?: string;
  artistEn?: string;
  category?: string;
  venue?: string;
  address?: string;
  posterUrl?: string;
  timezone?: string;
  startsAt?: string;
  saleStart?: string;
  saleEnd?: string;
  layoutId?: string;
  ticketTypes?: { name: string; price: number; quantity: number }[];
  queue?: Partial<QueueSettings>;
  /** `null` removes the cap. */
  maxTicketsPerFan?: number | null;
  /** `null` asks no proof-of-work. */
  powDifficulty?: number | null;
  status?: EventStatus;
}
