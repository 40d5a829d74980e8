// The API's wire shapes as the app uses them: the types generated from the OpenAPI
// document (./types.ts, `npm run gen:api`), plus the few names the app adds.
import type {
  BlockMap as BlockMapInDocument,
  BlockSeat as BlockSeatInDocument,
  BlockSeats as BlockSeatsInDocument,
  EventStatus,
  QueueStatus,
  Seat as SeatInDocument,
  SeatMap as SeatMapInDocument,
} from './types';

export type * from './types';

export const EVENT_STATUSES: EventStatus[] = ['on_sale', 'upcoming', 'sold_out', 'ended', 'cancelled'];

export type QueueState = QueueStatus['status'];

/** A seat's state on the seat map and in live seat messages. */
export type SeatStatus = 'available' | 'held' | 'sold';

/**
 * What an audit entry's `changes` holds; the document only says "object", so openapi-typescript
 * cannot tell.
 */
export type AuditChanges = Record<string, { before: unknown; after: unknown } | undefined>;

// The document types a seat's status as a string; the app narrows it to the three states.
export type Seat = Omit<SeatInDocument, 'status'> & { status: SeatStatus };
export type SeatMap = Omit<SeatMapInDocument, 'seats'> & { seats: Seat[] };

// Blocks of a venue: the same narrowing of seat statuses.
export type BlockSeat = Omit<BlockSeatInDocument, 'status'> & { status: SeatStatus };
export type BlockSeats = Omit<BlockSeatsInDocument, 'seats'> & { seats: BlockSeat[] };
export type BlockMap = BlockMapInDocument;
