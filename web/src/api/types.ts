// Generated from web/openapi.json by scripts/gen-api.mjs (npm run gen:api). Do not edit.

export interface paths {
    "/api/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Admin writes, newest first, with who, what, when and each changed field's before and
         *     after.
         */
        get: operations["audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/dashboard/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live figures for the organizers' dashboard, read in one database snapshot and shared
         *     by all admins for up to two seconds (`generatedAt` says when it was read).
         */
        get: operations["dashboard_stats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every event (any status), on-sale first, with sales figures; never cached. */
        get: operations["list_events"];
        put?: never;
        /**
         * Creates an event: reserved seating from `layoutId` (seats generated in the same
         *     transaction) or general admission from `ticketTypes`.
         */
        post: operations["create_event"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Changes an event's fields, times, poster, queue settings or status. Caches are dropped
         *     and watchers of `event:<id>` hear of a status change.
         */
        put: operations["update_event"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/events/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancels the event: every pending and confirmed reservation is cancelled and its payment
         *     refunded, every seat freed, and `event-cancelled` sent to `event:<id>`. Calling it again
         *     answers 200 with zeros and changes nothing.
         */
        post: operations["cancel_event"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/events/{id}/cancel-impact": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What `POST /api/admin/events/{id}/cancel` would do if called now: bookings by status,
         *     payments and KRW to refund, fans to e-mail. Changes nothing.
         */
        get: operations["cancel_impact"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/events/{id}/checkin": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live check-in numbers: admitted per minute and per gate, share of sold tickets
         *     admitted, and the conflicts offline gates reported.
         */
        get: operations["stats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/events/{id}/gates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["list_gates"];
        put?: never;
        /** Creates a gate account (role `gate`) for one gate of the event. */
        post: operations["create_gate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/events/{id}/poster": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Uploads the event's poster: a JPEG, PNG or WebP file as the raw request body. It is
         *     re-encoded as JPEG at 320, 640 and 1280 pixels wide (never enlarged), metadata dropped,
         *     stored under content-addressed names, and then the event points at it in one update
         *     (`posterImages` for `srcset`, `posterUrl` the widest), so readers never see a poster
         *     half replaced.
         */
        post: operations["upload_poster"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/events/{id}/reservations.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The event's reservations as CSV (UTF-8 with BOM), oldest first: code, status, times in
         *     the event's zone, fan, seats or tickets, amount and latest payment.
         */
        get: operations["reservations_csv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/events/{id}/sales.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The event's payments as CSV (UTF-8 with BOM), oldest first: completed, declined and
         *     refunded, with times in the event's zone.
         */
        get: operations["sales_csv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/layouts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every seat layout, read from the database (not the public cache). */
        get: operations["list_layouts"];
        put?: never;
        /** Creates a seat layout: 1 to 20 sections of rows × seats at one price each. */
        post: operations["create_layout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/reservations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every fan's reservations, filtered, paged and sorted by creation time. */
        get: operations["list_reservations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in. A wrong password and an unknown email give the same answer. */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign out: the token is refused from now until it would have expired; with `?all=true`
         *     every token of the account is (a lost phone, a shared computer).
         */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user. */
        get: operations["me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change the signed-in user's settings: the language of their e-mails. */
        patch: operations["update_me"];
        trace?: never;
    };
    "/api/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Register a fan account. */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/checkin/events/{eventId}/offline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What a gate needs to keep admitting offline: the event's public key, the revoked
         *     tickets and those already admitted.
         */
        get: operations["offline_bundle"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/checkin/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in gate account's event and gate (what the gate page opens with). */
        get: operations["checkin_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/checkin/scan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A ticket scanned online. Answers 200 with the result for any ticket code, valid or not. */
        post: operations["scan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/checkin/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Admissions an offline gate made, uploaded when it is back online; idempotent. */
        post: operations["sync"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Events, on-sale first (with `q`, most relevant first); cached 30 s (searches 5 s). */
        get: operations["list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One event with its price tiers and availability; cached 60 s. */
        get: operations["detail"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 200 when Postgres, Redis and RabbitMQ all answer; 503 otherwise. */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/payments/methods": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The payment methods fans can choose. */
        get: operations["methods"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/payments/process": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pay for the fan's own pending hold. With an `Idempotency-Key` header the same key and
         *     body return the same payment and the same key with another body is a 422. Without one
         *     (the plan's request) the reservation is the scope: a retry returns its payment, never
         *     a second charge, and keyless attempts of one reservation are made one at a time.
         */
        post: operations["process"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/queue/{eventId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Leave the waiting room (or give up an admission, freeing the slot for the next fan). */
        delete: operations["leave"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/queue/{eventId}/challenge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A proof-of-work challenge to solve before joining the event's waiting room (events
         *     with a difficulty set). ALTCHA's format: find `number` with
         *     SHA-256(salt + number) = challenge, then join with the solution in `X-Altcha`.
         */
        get: operations["challenge"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/queue/{eventId}/join": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Join the event's waiting room. Joining again keeps the fan's place and ticket. When
         *     the event asks for proof-of-work, a new place needs a solved challenge in `X-Altcha`.
         */
        post: operations["join"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/queue/{eventId}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The fan's place; calling it is also the heartbeat that keeps the place. */
        get: operations["status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reservations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Order general-admission tickets by type and quantity; answers like seat reserve. */
        post: operations["order_tickets"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reservations/my": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The fan's reservations, newest first. */
        get: operations["mine"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reservations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of the fan's reservations; another fan's is a 404. */
        get: operations["get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reservations/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel: a pending hold, or a confirmed booking before the event starts (refunded). */
        post: operations["cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reservations/{id}/tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The reservation's tickets with their signed codes; empty until it is confirmed. */
        get: operations["list_tickets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/seats/events/{eventId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The event's seat map: layout, seats in layout order with status, and `seq`. */
        get: operations["seat_map"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/seats/events/{eventId}/blocks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The event's blocks: where each sits, its grade, price and seats left per status, and `seq`. */
        get: operations["block_summary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/seats/events/{eventId}/blocks/{blockId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One block's seats (front row first) with row letters, numbers and status, and `seq`. */
        get: operations["block_seats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/seats/layouts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every seat layout. */
        get: operations["layouts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/seats/requests/{requestId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The outcome of a queued request, on any api instance; only its fan may ask. */
        get: operations["request_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/seats/reservation/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The same as `GET /api/reservations/{id}`, under the seat API's path (the plan's). */
        get: operations["get_seat_reservation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/seats/reserve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reserve seats on the seat map. 201 with the hold, 409 when seats are taken, or 202 with
         *     a request id (`Prefer: respond-async`, or no decision within the reply timeout).
         */
        post: operations["reserve_seats"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AcceptedResponse: {
            /** Format: uuid */
            requestId: string;
            status: string;
        };
        Actor: {
            email: string;
            /** Format: uuid */
            id: string;
        };
        /** @description An event with its sales figures. */
        AdminEvent: components["schemas"]["Event"] & {
            sales: components["schemas"]["Sales"];
        };
        AdminEventList: {
            events: components["schemas"]["AdminEvent"][];
            pagination: components["schemas"]["Pagination"];
        };
        /** @description A reservation as its owner sees it, with who made it. */
        AdminReservation: components["schemas"]["Reservation"] & {
            eventTitle: string;
            user: components["schemas"]["Fan"];
        };
        AuditEntry: {
            action: string;
            actor: components["schemas"]["Actor"];
            /** @description When it happened (Asia/Seoul offset). */
            at: string;
            /** @description `{field: {before, after}}`; instants as the API showed them. */
            changes: Record<string, never>;
            /** Format: uuid */
            entityId: string;
            entityType: components["schemas"]["EntityType"];
            /** Format: int64 */
            id: number;
        };
        AuditPage: {
            entries: components["schemas"]["AuditEntry"][];
            pagination: components["schemas"]["Pagination"];
        };
        AuthResponse: {
            token: string;
            user: components["schemas"]["User"];
        };
        Availability: {
            /** Format: int64 */
            available: number;
            /** Format: int64 */
            total: number;
        };
        /** @description One block of the overview. `id` is the section's position in the layout. */
        Block: {
            aislesAfter: number[];
            color?: string | null;
            counts: components["schemas"]["BlockCounts"];
            /** Format: int32 */
            id: number;
            kind: components["schemas"]["BlockKind"];
            /** @description The block number on the overview. */
            label: string;
            /** @description The section name, which is also the grade shown on tickets. */
            name: string;
            polygon: components["schemas"]["Point"][];
            /**
             * Format: int64
             * @description KRW per seat at this event (the event's grade price).
             */
            price: number;
            /** Format: int32 */
            rows: number;
            /** Format: int32 */
            seatsPerRow: number;
        };
        BlockCounts: {
            /** Format: int64 */
            available: number;
            /** Format: int64 */
            held: number;
            /** Format: int64 */
            sold: number;
            /** Format: int64 */
            total: number;
        };
        /** @enum {string} */
        BlockKind: "floor" | "bowl" | "balcony";
        BlockMap: {
            blocks: components["schemas"]["Block"][];
            /** Format: uuid */
            eventId: string;
            focus: components["schemas"]["Focus"];
            /**
             * Format: uuid
             * @description `null` for general-admission events, which have no blocks.
             */
            layoutId?: string | null;
            /**
             * Format: int64
             * @description Version of these counts; apply only seat deltas with a larger `seq`.
             */
            seq: number;
        };
        BlockSeat: {
            /** Format: uuid */
            id: string;
            /** Format: int32 */
            number: number;
            row: string;
            status: components["schemas"]["SeatStatus"];
        };
        BlockSeats: {
            block: components["schemas"]["Block"];
            /** Format: uuid */
            eventId: string;
            /** @description The block's seats, front row first, then by number. */
            seats: components["schemas"]["BlockSeat"][];
            /**
             * Format: int64
             * @description Version of this snapshot; apply only seat deltas with a larger `seq`.
             */
            seq: number;
        };
        /**
         * @description What cancelling the event would do now: the live bookings it ends, the money it gives
         *     back and the fans it writes to. The same rows `events::cancel` acts on.
         */
        CancelImpact: {
            /**
             * Format: int64
             * @description Paid bookings that would be cancelled and refunded.
             */
            confirmedReservations: number;
            /**
             * Format: int64
             * @description Distinct fans who would get the cancellation e-mail.
             */
            fansToNotify: number;
            /**
             * Format: int64
             * @description Unpaid holds that would be released.
             */
            pendingReservations: number;
            /**
             * Format: int64
             * @description KRW that would be refunded.
             */
            refundAmount: number;
            /**
             * Format: int64
             * @description Completed payments that would be refunded.
             */
            refundPayments: number;
        };
        CancelImpactResponse: {
            impact: components["schemas"]["CancelImpact"];
        };
        CancelInput: {
            /** @description Shown to fans; at most 500 characters. */
            reason?: string | null;
        };
        CancelResponse: {
            /**
             * Format: int64
             * @description Reservations this call cancelled (0 when the event was cancelled before).
             */
            cancelledReservations: number;
            event: components["schemas"]["Event"];
            /**
             * @description The plan's confirmation, `취소됨` ("cancelled").
             * @example 취소됨
             */
            message: string;
            /**
             * Format: int64
             * @description Payments this call refunded.
             */
            refundedPayments: number;
        };
        CancelledResponse: {
            /**
             * @description The plan's confirmation, `취소됨` ("cancelled").
             * @example 취소됨
             */
            message: string;
            reservation: components["schemas"]["Reservation"];
        };
        /** @description A challenge as ALTCHA clients expect it. */
        Challenge: {
            /** @description Always `SHA-256`. */
            algorithm: string;
            challenge: string;
            /**
             * Format: int64
             * @description The largest number the solver needs to try: the event's difficulty.
             */
            maxnumber: number;
            /** @description Random salt and signed parameters (`?expires=…&evt=…&usr=…`). */
            salt: string;
            signature: string;
        };
        /** @enum {string} */
        CheckStatus: "ok" | "down";
        CheckinStats: {
            /** Format: int64 */
            admitted: number;
            /**
             * Format: double
             * @description admitted ÷ sold, 0 when nothing is sold.
             */
            admittedShare: number;
            /** Format: int64 */
            conflictCount: number;
            /** @description The latest 100. */
            conflicts: components["schemas"]["Conflict"][];
            /** Format: uuid */
            eventId: string;
            perGate: components["schemas"]["GateCount"][];
            perMinute: components["schemas"]["MinuteCount"][];
            /**
             * Format: int64
             * @description Tickets of confirmed reservations.
             */
            sold: number;
        };
        CheckinStatsResponse: {
            stats: components["schemas"]["CheckinStats"];
        };
        Checks: {
            postgres: components["schemas"]["CheckStatus"];
            rabbitmq: components["schemas"]["CheckStatus"];
            redis: components["schemas"]["CheckStatus"];
        };
        Conflict: {
            /** Format: date-time */
            admittedAt: string;
            /** Format: date-time */
            firstAdmittedAt?: string | null;
            /** @description The admission that stands, if any. */
            firstGate?: string | null;
            gate: string;
            kind: components["schemas"]["ConflictKind"];
            /** Format: date-time */
            recordedAt: string;
            /** Format: uuid */
            ticketId: string;
        };
        /**
         * @description What an offline gate did that could not be accepted.
         * @enum {string}
         */
        ConflictKind: "duplicate" | "revoked";
        CreateGateRequest: {
            email: string;
            gate: string;
            name: string;
            password: string;
        };
        DashboardStats: {
            /** @description Every status, zeros included. */
            eventsByStatus: {
                [key: string]: number;
            };
            /** @description The database time of the snapshot (Asia/Seoul offset). */
            generatedAt: string;
            /**
             * Format: int64
             * @description Pending holds that end within 60 s (or are overdue for the sweeper).
             */
            holdsExpiringSoon: number;
            /** @description Events on sale or sold out, by sale start. */
            onSale: components["schemas"]["OnSale"][];
            /** @description Events on sale with the waiting room enabled. */
            queues: components["schemas"]["QueueLoad"][];
            reservationsByStatus: {
                [key: string]: number;
            };
            revenue: components["schemas"]["Revenue"];
        };
        /**
         * @description `audit_log.entity_type`.
         * @enum {string}
         */
        EntityType: "event" | "layout";
        ErrorBody: {
            /** @description Stable, machine-readable, e.g. `SEAT_UNAVAILABLE`. */
            code: components["schemas"]["ErrorCode"];
            /** @description For `VALIDATION_FAILED` a [`ValidationDetails`]; other codes document their own. */
            details?: Record<string, never> | null;
            message: string;
        };
        /**
         * @description Stable, machine-readable: what went wrong. Clients translate it; `message` is English for people reading logs.
         * @enum {string}
         */
        ErrorCode: "ADMIN_ONLY" | "ADMISSION_ENDED" | "ALREADY_HOLDING" | "AUTH_REQUIRED" | "BAD_REQUEST" | "BLOCK_NOT_FOUND" | "CHALLENGE_NOT_REQUIRED" | "CHECKIN_FORBIDDEN" | "CORRUPT_IMAGE" | "EMAIL_TAKEN" | "EVENT_CANCELLED" | "EVENT_NOT_FOUND" | "EVENT_NOT_ON_SALE" | "GATE_MISMATCH" | "GATE_OTHER_EVENT" | "IDEMPOTENCY_KEY_REUSED" | "INTERNAL" | "INVALID_CREDENTIALS" | "INVALID_ORDER" | "INVALID_PATH" | "INVALID_QUERY" | "LAYOUT_NAME_TAKEN" | "LAYOUT_NOT_FOUND" | "MALFORMED_JSON" | "METHOD_NOT_ALLOWED" | "NOT_A_GATE" | "NOT_A_GENERAL_ADMISSION_EVENT" | "NOT_A_SEATED_EVENT" | "NOT_CANCELLABLE" | "NOT_FOUND" | "PAYLOAD_TOO_LARGE" | "PAYMENT_DECLINED" | "POW_ALREADY_USED" | "POW_INVALID" | "POW_REQUIRED" | "PURCHASE_LIMIT_REACHED" | "QUEUE_NOT_ENABLED" | "QUEUE_NOT_JOINED" | "QUEUE_NOT_OPEN" | "QUEUE_TOKEN_INVALID" | "QUEUE_TOKEN_REQUIRED" | "RATE_LIMITED" | "REQUEST_EXPIRED" | "REQUEST_NOT_FOUND" | "REQUEST_NOT_PROCESSABLE" | "RESERVATION_ALREADY_PAID" | "RESERVATION_CANCELLED" | "RESERVATION_EXPIRED" | "RESERVATION_NOT_FOUND" | "RESERVATION_NOT_PAYABLE" | "ROUTE_NOT_FOUND" | "SEAT_UNAVAILABLE" | "SERVICE_UNAVAILABLE" | "SOLD_OUT" | "TOKEN_EXPIRED" | "TOKEN_INVALID" | "TOKEN_REVOKED" | "TOO_MANY_PIXELS" | "UNSUPPORTED_IMAGE_TYPE" | "UNSUPPORTED_MEDIA_TYPE" | "VALIDATION_FAILED";
        /** @description Every error answer: `{"error": {"code", "message", "details"}}`. */
        ErrorEnvelope: {
            error: components["schemas"]["ErrorBody"];
        };
        /** @description An event as every public endpoint shows it. Instants carry the offset of `timezone`. */
        Event: {
            address: string;
            artist: string;
            /** @description The English artist name; empty when there is none. */
            artistEn: string;
            availability: components["schemas"]["Availability"];
            category: string;
            createdAt: string;
            description: string;
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            layoutId?: string | null;
            layoutName?: string | null;
            /** Format: int64 */
            maxPrice?: number | null;
            /**
             * Format: int32
             * @description Seats and tickets one fan may hold or own for this event at once, across all of
             *     their reservations; `null` for no cap beyond the per-order maximum.
             */
            maxTicketsPerFan?: number | null;
            /** Format: int64 */
            minPrice?: number | null;
            /**
             * @description An uploaded poster's renditions, narrowest first, for `srcset` (`posterUrl` is the
             *     widest); empty when the poster is a pasted URL or there is none.
             */
            posterImages: components["schemas"]["PosterImage"][];
            posterUrl?: string | null;
            /**
             * Format: int32
             * @description Proof-of-work difficulty (ALTCHA `maxnumber`) asked before joining the waiting
             *     room; `null` when none is asked.
             */
            powDifficulty?: number | null;
            queue: components["schemas"]["QueueSettings"];
            saleEnd: string;
            saleStart: string;
            seating: components["schemas"]["Seating"];
            /** @example 2025-10-31T19:00:00+09:00 */
            startsAt: string;
            status: components["schemas"]["EventStatus"];
            /** @description IANA zone the event's wall-clock times belong to. */
            timezone: string;
            /** @description The title in Korean (or as the organizer wrote it). */
            title: string;
            /** @description The English title; empty when there is none (show `title` then). */
            titleEn: string;
            updatedAt: string;
            venue: string;
        };
        EventDetail: {
            availability: components["schemas"]["SeatCounts"];
            event: components["schemas"]["Event"];
            ticketTypes: components["schemas"]["TicketType"][];
        };
        /**
         * @description The body of `POST /api/admin/events` (create) and `PUT /api/admin/events/:id` (update,
         *     every field optional). Fields the original plan names differently are accepted under
         *     its names too (`eventDate`, `saleStartDate`, `saleEndDate`, `seatLayoutId`,
         *     `posterImageUrl`, `artistName`); one field given under both names is refused.
         */
        EventInput: {
            address?: string | null;
            artist?: string | null;
            /** @description The English artist name; empty for none. */
            artistEn?: string | null;
            /** @description The plan's name for `artist`: give one or the other, not both. */
            artistName?: string | null;
            category?: string | null;
            description?: string | null;
            /**
             * @description The plan's name for `startsAt`: give one or the other, not both.
             * @example 2025-10-31T19:00
             */
            eventDate?: string | null;
            /**
             * @description Reserved seating: the price of some or all grades (the layout's sections) for this
             *     event; grades left out keep their price (the layout's, on create). Seats of a grade
             *     sell at its price; reservations already made keep theirs.
             */
            gradePrices?: components["schemas"]["GradePrice"][] | null;
            /**
             * Format: uuid
             * @description Reserved seating: seats are generated from this layout (create only).
             */
            layoutId?: string | null;
            /**
             * Format: int32
             * @description Seats and tickets one fan may have for this event across all of their live
             *     reservations (1 to 1000); `null` removes the cap.
             */
            maxTicketsPerFan?: number | null;
            /** @description The plan's name for `posterUrl`: give one or the other, not both. */
            posterImageUrl?: string | null;
            /** @description `null` or `""` removes the poster. */
            posterUrl?: string | null;
            /**
             * Format: int32
             * @description Proof-of-work before joining the waiting room: the ALTCHA `maxnumber` (1000 to
             *     10,000,000; a browser tries half of it on average); `null` asks none.
             */
            powDifficulty?: number | null;
            queue?: null | components["schemas"]["QueueInput"];
            /** @example 2025-10-31T18:00 */
            saleEnd?: string | null;
            /**
             * @description The plan's name for `saleEnd`: give one or the other, not both.
             * @example 2025-10-31T18:00
             */
            saleEndDate?: string | null;
            /** @example 2025-10-01T20:00 */
            saleStart?: string | null;
            /**
             * @description The plan's name for `saleStart`: give one or the other, not both.
             * @example 2025-10-01T20:00
             */
            saleStartDate?: string | null;
            /**
             * Format: uuid
             * @description The plan's name for `layoutId`: give one or the other, not both.
             */
            seatLayoutId?: string | null;
            /**
             * @description With an offset (taken as given), or local wall-clock time in `timezone`.
             * @example 2025-10-31T19:00
             */
            startsAt?: string | null;
            /**
             * @description Update only: `upcoming`, `on_sale` (both must agree with the sale window) or
             *     `ended` (closes sales now). Cancelling has its own endpoint.
             */
            status?: string | null;
            /** @description General admission (create only). */
            ticketTypes?: components["schemas"]["NewTicketType"][] | null;
            /** @description IANA zone of the event's wall-clock times; default `Asia/Seoul`. */
            timezone?: string | null;
            /** @description In Korean (or as the organizer writes it). */
            title?: string | null;
            /** @description The English title; empty for none. */
            titleEn?: string | null;
            venue?: string | null;
        };
        EventList: {
            events: components["schemas"]["Event"][];
            pagination: components["schemas"]["Pagination"];
        };
        EventResponse: {
            event: components["schemas"]["Event"];
        };
        /**
         * @description `events.status` (a CHECK list in SQL); an unknown value read back is a decode error.
         * @enum {string}
         */
        EventStatus: "upcoming" | "on_sale" | "sold_out" | "ended" | "cancelled";
        Fan: {
            email: string;
            /** Format: uuid */
            id: string;
            name: string;
        };
        /** @description Why one field was refused, with the numbers or names the message needs. */
        FieldProblem: {
            /** @description `min`/`max` (numbers), `allowed` (strings), `other` (a field name). */
            params: Record<string, never>;
            reason: components["schemas"]["FieldReason"];
        };
        /**
         * @description Why a field was refused (in `details.reasons.<field>.reason` of VALIDATION_FAILED).
         * @enum {string}
         */
        FieldReason: "required" | "too_short" | "too_long" | "length_range" | "out_of_range" | "too_many" | "one_of" | "invalid_uuid" | "invalid_datetime" | "unknown_timezone" | "nonexistent_local_time" | "ambiguous_local_time" | "invalid_email" | "weak_password" | "control_characters" | "duplicate" | "unknown_field" | "must_be_before" | "must_not_be_after" | "must_not_be_before" | "invalid_url" | "invalid_colour" | "immutable" | "seating_choice" | "empty_order" | "invalid_type" | "not_found" | "sale_window" | "invalid";
        /** @description What the fans face on the overview. */
        Focus: {
            kind: components["schemas"]["FocusKind"];
            polygon: components["schemas"]["Point"][];
        };
        /**
         * @description What the fans face: a stage bar, or the field of a stadium.
         * @enum {string}
         */
        FocusKind: "stage" | "field";
        GateAccount: {
            /** Format: date-time */
            createdAt: string;
            email: string;
            /** Format: uuid */
            eventId: string;
            gate: string;
            name: string;
            /** Format: uuid */
            userId: string;
        };
        GateCount: {
            /** Format: int64 */
            admitted: number;
            gate: string;
            /** Format: date-time */
            lastAdmittedAt: string;
        };
        GateResponse: {
            gate: components["schemas"]["GateAccount"];
        };
        GatesResponse: {
            gates: components["schemas"]["GateAccount"][];
        };
        /** @description One grade's price, as the organizer sets it. */
        GradePrice: {
            /** @description The section's name in the layout. */
            grade: string;
            /**
             * Format: int64
             * @description KRW per seat.
             */
            price: number;
        };
        Health: {
            checks: components["schemas"]["Checks"];
            /** @description `ok` when every dependency answers, `unhealthy` otherwise. */
            status: string;
        };
        /** @description One ticket with its signed code, as the fan (page, PDF, e-mail) sees it. */
        IssuedTicket: {
            /** Format: date-time */
            admittedAt?: string | null;
            /** @description `T1.<payload>.<signature>`: what the QR code carries. */
            code: string;
            /** Format: uuid */
            eventId: string;
            eventTitle: string;
            holderInitials: string;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            issuedAt: string;
            /** Format: uuid */
            reservationId: string;
            /** @description The reservation was cancelled or refunded, or the event cancelled. */
            revoked: boolean;
            seat?: null | components["schemas"]["SeatLabel"];
            /** Format: date-time */
            startsAt: string;
            ticketType?: string | null;
            timezone: string;
            venue: string;
        };
        Layout: {
            description: string;
            /** Format: uuid */
            id: string;
            name: string;
            sections: components["schemas"]["Section"][];
            /** Format: int32 */
            totalSeats: number;
            /** @description The venue this layout was drawn for; empty when it fits any. */
            venue: string;
        };
        /** @description The body of `POST /api/admin/layouts`. */
        LayoutInput: {
            description?: string | null;
            name?: string | null;
            /** @description In order; rows are labelled A, B, … across sections. */
            sections?: components["schemas"]["Section"][] | null;
            venue?: string | null;
        };
        LayoutResponse: {
            layout: components["schemas"]["Layout"];
        };
        LayoutsResponse: {
            layouts: components["schemas"]["Layout"][];
        };
        /**
         * @description The language a fan reads their e-mails (and, by default, the app) in.
         * @enum {string}
         */
        Locale: "ko" | "en";
        LoginRequest: {
            email?: string;
            password?: string;
        };
        MeResponse: {
            user: components["schemas"]["User"];
        };
        MethodView: {
            id: string;
            name: string;
            nameEn: string;
        };
        MethodsResponse: {
            methods: components["schemas"]["MethodView"][];
        };
        MinuteCount: {
            /** Format: int64 */
            admitted: number;
            /** Format: date-time */
            minute: string;
        };
        /**
         * @description A general-admission ticket type to create with an event (`quantity` is the plan's
         *     `totalQuantity`).
         */
        NewTicketType: {
            name: string;
            /** Format: int64 */
            price: number;
            /** Format: int32 */
            quantity?: number;
            /**
             * Format: int32
             * @description The plan's name for `quantity`: give one or the other, not both (one is required).
             */
            totalQuantity?: number;
        };
        OfflineAdmission: {
            /** Format: date-time */
            admittedAt: string;
            code: string;
        };
        OfflineBundle: {
            /** @description Always `Ed25519`. */
            algorithm: string;
            /** Format: uuid */
            eventId: string;
            /** @description The event's raw 32-byte public key, base64url without padding. */
            publicKey: string;
            revocations: components["schemas"]["RevocationList"];
        };
        OnSale: {
            /** Format: int64 */
            available: number;
            /** Format: uuid */
            eventId: string;
            /** Format: int64 */
            held: number;
            /** Format: int64 */
            revenue: number;
            /**
             * Format: double
             * @description sold / total, 0..=1.
             */
            sellThrough: number;
            /** Format: int64 */
            sold: number;
            status: components["schemas"]["EventStatus"];
            title: string;
            /** Format: int64 */
            total: number;
        };
        OrderTicketsRequest: {
            /** Format: uuid */
            eventId: string;
            items?: components["schemas"]["TicketLine"][];
        };
        Pagination: {
            /** Format: int32 */
            limit: number;
            /** Format: int32 */
            page: number;
            /** Format: int64 */
            total: number;
            /** Format: int64 */
            totalPages: number;
        };
        PaidResponse: {
            payment: components["schemas"]["Payment"];
            reservation: components["schemas"]["Reservation"];
        };
        PayRequest: {
            paymentMethod?: string;
            /** Format: uuid */
            reservationId: string;
            /** @description `"decline"` makes the mock provider decline (not honoured in production). */
            simulate?: string | null;
        };
        Payment: {
            /** Format: int64 */
            amount: number;
            createdAt: string;
            failureReason?: string | null;
            /** Format: uuid */
            id: string;
            method: components["schemas"]["PaymentMethod"];
            providerRef?: string | null;
            refundedAt?: string | null;
            /** Format: uuid */
            reservationId: string;
            status: components["schemas"]["PaymentStatus"];
        };
        /**
         * @description `payments.method`.
         * @enum {string}
         */
        PaymentMethod: "naver_pay" | "kakao_pay" | "bank_transfer";
        /**
         * @description `payments.status`: what one payment attempt came to.
         * @enum {string}
         */
        PaymentStatus: "completed" | "declined" | "refunded";
        PaymentSummary: {
            /** Format: int64 */
            amount: number;
            createdAt: string;
            /** Format: uuid */
            id: string;
            method: components["schemas"]["PaymentMethod"];
            refundedAt?: string | null;
            status: components["schemas"]["PaymentStatus"];
        };
        Point: {
            /** Format: float */
            x: number;
            /** Format: float */
            y: number;
        };
        /** @description One stored rendition of an uploaded poster. */
        PosterImage: {
            /** Format: int32 */
            height: number;
            url: string;
            /** Format: int32 */
            width: number;
        };
        /** @description Waiting-room settings; omitted fields keep their value (defaults on create). */
        QueueInput: {
            enabled?: boolean | null;
            /** Format: int32 */
            maxActive?: number | null;
            /** Format: int32 */
            prequeueMinutes?: number | null;
            /** Format: int32 */
            ratePerMinute?: number | null;
            shuffle?: boolean | null;
            /** @description `rate` or `max_active`. */
            strategy?: string | null;
            /** Format: int32 */
            windowSeconds?: number | null;
        };
        QueueLoad: {
            /** Format: int64 */
            active: number;
            /** Format: uuid */
            eventId: string;
            title: string;
            /** Format: int64 */
            waiting: number;
        };
        QueueSettings: {
            enabled: boolean;
            /** Format: int32 */
            maxActive: number;
            /** Format: int32 */
            prequeueMinutes: number;
            /** Format: int32 */
            ratePerMinute: number;
            shuffle: boolean;
            /** @description `rate` (N fans per minute) or `max_active` (at most N shoppers inside). */
            strategy: components["schemas"]["QueueStrategy"];
            /** Format: int32 */
            windowSeconds: number;
        };
        /** @description Where the fan stands in an event's waiting room. */
        QueueStatus: {
            admissionToken?: string | null;
            /**
             * Format: int64
             * @description Waiting fans in front of this one.
             */
            ahead: number;
            /**
             * Format: int64
             * @description Seconds until admission, from the measured admission rate.
             */
            etaSeconds?: number | null;
            /** Format: uuid */
            eventId: string;
            expiresAt?: string | null;
            /**
             * Format: int64
             * @description When to ask again: sooner near the front.
             */
            pollAfterSeconds: number;
            saleStart: string;
            /** @description `prequeue`, `waiting`, `admitted` or `expired`. */
            status: string;
            /**
             * Format: int64
             * @description The fan's number in arrival order.
             */
            ticket: number;
        };
        /**
         * @description `events.queue_strategy`: how the waiting room admits fans.
         * @enum {string}
         */
        QueueStrategy: "rate" | "max_active";
        RegisterRequest: {
            email?: string;
            /**
             * @description The language of the fan's e-mails, `ko` or `en`; without it the browser's
             *     `Accept-Language` decides, and Korean when that names neither.
             * @example en
             */
            locale?: string | null;
            name?: string;
            password?: string;
        };
        RequestStatus: {
            error?: unknown;
            /** Format: uuid */
            requestId: string;
            reservation?: null | components["schemas"]["Reservation"];
            /** @description `pending`, `reserved` or `rejected`. */
            status: string;
        };
        /** @description A reservation as its owner sees it; instants in the event's zone. */
        Reservation: {
            cancelledAt?: string | null;
            code: string;
            confirmedAt?: string | null;
            createdAt: string;
            event: components["schemas"]["ReservationEvent"];
            expiredAt?: string | null;
            expiresAt: string;
            /** Format: uuid */
            id: string;
            items: components["schemas"]["ReservationItem"][];
            payment?: null | components["schemas"]["PaymentSummary"];
            status: components["schemas"]["ReservationStatus"];
            /** Format: int64 */
            totalAmount: number;
        };
        ReservationEvent: {
            /** Format: uuid */
            id: string;
            startsAt: string;
            timezone: string;
            title: string;
            venue: string;
        };
        ReservationItem: {
            /** Format: int32 */
            number?: number | null;
            /** Format: int32 */
            quantity: number;
            row?: string | null;
            /** Format: uuid */
            seatId?: string | null;
            section?: string | null;
            /** Format: uuid */
            ticketTypeId?: string | null;
            ticketTypeName?: string | null;
            /** Format: int64 */
            unitPrice: number;
        };
        ReservationPage: {
            pagination: components["schemas"]["Pagination"];
            reservations: components["schemas"]["AdminReservation"][];
        };
        ReservationResponse: {
            reservation: components["schemas"]["Reservation"];
        };
        /**
         * @description `reservations.status`; an unknown value read back is a decode error.
         * @enum {string}
         */
        ReservationStatus: "pending" | "confirmed" | "cancelled" | "expired";
        ReservationsResponse: {
            reservations: components["schemas"]["Reservation"][];
        };
        ReserveSeatsRequest: {
            /** Format: uuid */
            eventId: string;
            seatIds?: string[];
        };
        ReservedResponse: {
            expiresAt: string;
            reservation: components["schemas"]["Reservation"];
        };
        Revenue: {
            /**
             * Format: int64
             * @description Of those, taken since midnight in Asia/Seoul.
             */
            today: number;
            /**
             * Format: int64
             * @description KRW of every completed (not refunded) payment.
             */
            total: number;
        };
        RevocationList: {
            admitted: string[];
            /** Format: uuid */
            eventId: string;
            /**
             * Format: date-time
             * @description When the list was read; a gate shows its age while offline.
             */
            generatedAt: string;
            revoked: string[];
        };
        /**
         * @description `users.role`; an unknown value read back is a decode error, never a silent fan.
         * @enum {string}
         */
        Role: "fan" | "admin" | "gate";
        Sales: {
            /** Format: int64 */
            available: number;
            /**
             * Format: int64
             * @description In pending holds.
             */
            held: number;
            /**
             * Format: int64
             * @description KRW of completed (not refunded) payments.
             */
            revenue: number;
            /**
             * Format: int64
             * @description In confirmed (paid) reservations.
             */
            sold: number;
            /**
             * Format: int64
             * @description Seats, or tickets of every type.
             */
            total: number;
        };
        ScanOutcome: {
            /**
             * Format: date-time
             * @description When and where the ticket was (first) admitted: this scan for `admitted`, the
             *     earlier one for `duplicate`.
             */
            firstAdmittedAt?: string | null;
            firstGate?: string | null;
            result: components["schemas"]["ScanResult"];
            ticket?: null | components["schemas"]["ScannedTicket"];
        };
        ScanRequest: {
            /** @description The QR code's text, `T1.<payload>.<signature>`. */
            code: string;
            /** Format: uuid */
            eventId: string;
            /** @description Required for admins; a gate account scans at its own gate. */
            gate?: string | null;
        };
        /**
         * @description The answer shown at the gate.
         * @enum {string}
         */
        ScanResult: "admitted" | "duplicate" | "invalid" | "revoked";
        /** @description The ticket as its signed code describes it (trusted once the signature verified). */
        ScannedTicket: {
            holderInitials: string;
            /** Format: uuid */
            id: string;
            seat?: null | components["schemas"]["SeatLabel"];
            ticketType?: string | null;
        };
        Seat: {
            /** Format: uuid */
            id: string;
            /** Format: int32 */
            number: number;
            /** Format: int64 */
            price: number;
            row: string;
            section: string;
            status: components["schemas"]["SeatStatus"];
        };
        SeatCounts: {
            /** Format: int64 */
            available: number;
            /** Format: int64 */
            held: number;
            /** Format: int64 */
            sold: number;
            /** Format: int64 */
            total: number;
        };
        /** @description A seat as printed on a ticket. */
        SeatLabel: {
            /** Format: int32 */
            number: number;
            row: string;
            section: string;
        };
        SeatMap: {
            /** Format: uuid */
            eventId: string;
            layout?: null | components["schemas"]["Layout"];
            seats: components["schemas"]["Seat"][];
            /**
             * Format: int64
             * @description Version of this snapshot; apply only WebSocket deltas with a larger `seq`.
             */
            seq: number;
        };
        /**
         * @description `seats.status`; also the status a live seat change announces.
         * @enum {string}
         */
        SeatStatus: "available" | "held" | "sold";
        /**
         * @description `events.seating`.
         * @enum {string}
         */
        Seating: "reserved" | "general";
        Section: {
            color?: string | null;
            geometry?: null | components["schemas"]["SectionGeometry"];
            name: string;
            /**
             * Format: int64
             * @description KRW per seat.
             */
            price: number;
            /** Format: int32 */
            rows: number;
            /** Format: int32 */
            seatsPerRow: number;
        };
        SectionGeometry: {
            /** @description Seat numbers after which an aisle runs through every row (ascending). */
            aislesAfter?: number[];
            kind: components["schemas"]["BlockKind"];
            /** @description The block number fans see on the overview ("101"); the section name when absent. */
            label?: string | null;
            /** @description The block's outline in venue space, 3 to 32 points. */
            polygon: components["schemas"]["Point"][];
        };
        StatsResponse: {
            stats: components["schemas"]["DashboardStats"];
        };
        /** @enum {string} */
        SyncOutcome: "recorded" | "alreadyRecorded" | "conflict" | "invalid";
        SyncRequest: {
            /** @description At most 150 per upload (bodies are bounded); send several uploads for more. */
            admissions: components["schemas"]["OfflineAdmission"][];
            /** Format: uuid */
            eventId: string;
            gate?: string | null;
        };
        SyncResponse: {
            results: components["schemas"]["SyncResult"][];
        };
        SyncResult: {
            conflict?: null | components["schemas"]["ConflictKind"];
            /** Format: date-time */
            firstAdmittedAt?: string | null;
            firstGate?: string | null;
            outcome: components["schemas"]["SyncOutcome"];
            /** Format: uuid */
            ticketId?: string | null;
        };
        /** @description One line of an order as the HTTP API takes it; the queue has its own `TicketLine`. */
        TicketLine: {
            /** Format: int32 */
            quantity: number;
            /** Format: uuid */
            ticketTypeId: string;
        };
        /** @description A price tier: a ticket type (general admission) or a layout section (reserved seating). */
        TicketType: {
            /**
             * Format: uuid
             * @description Set for general-admission ticket types, which are ordered by id.
             */
            id?: string | null;
            name: string;
            /** Format: int64 */
            price: number;
            /** Format: int64 */
            remaining: number;
            /** Format: int64 */
            total: number;
        };
        TicketsResponse: {
            tickets: components["schemas"]["IssuedTicket"][];
        };
        UpdateMeRequest: {
            /**
             * @description `ko` or `en`.
             * @example ko
             */
            locale?: string | null;
        };
        User: {
            /** Format: date-time */
            createdAt: string;
            email: string;
            /** Format: uuid */
            id: string;
            /** @description The language of the fan's e-mails (`ko` or `en`). */
            locale: components["schemas"]["Locale"];
            name: string;
            role: components["schemas"]["Role"];
        };
        /** @description `details` of a 422 `VALIDATION_FAILED`, keyed by the JSON field (`ticketTypes[1].price`). */
        ValidationDetails: {
            /** @description English sentences, for people reading logs. */
            fields: {
                [key: string]: string;
            };
            /** @description Machine-readable: what clients translate. */
            reasons: {
                [key: string]: components["schemas"]["FieldProblem"];
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type AcceptedResponse = components['schemas']['AcceptedResponse'];
export type Actor = components['schemas']['Actor'];
export type AdminEvent = components['schemas']['AdminEvent'];
export type AdminEventList = components['schemas']['AdminEventList'];
export type AdminReservation = components['schemas']['AdminReservation'];
export type AuditEntry = components['schemas']['AuditEntry'];
export type AuditPage = components['schemas']['AuditPage'];
export type AuthResponse = components['schemas']['AuthResponse'];
export type Availability = components['schemas']['Availability'];
export type Block = components['schemas']['Block'];
export type BlockCounts = components['schemas']['BlockCounts'];
export type BlockKind = components['schemas']['BlockKind'];
export type BlockMap = components['schemas']['BlockMap'];
export type BlockSeat = components['schemas']['BlockSeat'];
export type BlockSeats = components['schemas']['BlockSeats'];
export type CancelImpact = components['schemas']['CancelImpact'];
export type CancelImpactResponse = components['schemas']['CancelImpactResponse'];
export type CancelInput = components['schemas']['CancelInput'];
export type CancelResponse = components['schemas']['CancelResponse'];
export type CancelledResponse = components['schemas']['CancelledResponse'];
export type Challenge = components['schemas']['Challenge'];
export type CheckStatus = components['schemas']['CheckStatus'];
export type CheckinStats = components['schemas']['CheckinStats'];
export type CheckinStatsResponse = components['schemas']['CheckinStatsResponse'];
export type Checks = components['schemas']['Checks'];
export type Conflict = components['schemas']['Conflict'];
export type ConflictKind = components['schemas']['ConflictKind'];
export type CreateGateRequest = components['schemas']['CreateGateRequest'];
export type DashboardStats = components['schemas']['DashboardStats'];
export type EntityType = components['schemas']['EntityType'];
export type ErrorBody = components['schemas']['ErrorBody'];
export type ErrorCode = components['schemas']['ErrorCode'];
export type ErrorEnvelope = components['schemas']['ErrorEnvelope'];
export type Event = components['schemas']['Event'];
export type EventDetail = components['schemas']['EventDetail'];
export type EventInput = components['schemas']['EventInput'];
export type EventList = components['schemas']['EventList'];
export type EventResponse = components['schemas']['EventResponse'];
export type EventStatus = components['schemas']['EventStatus'];
export type Fan = components['schemas']['Fan'];
export type FieldProblem = components['schemas']['FieldProblem'];
export type FieldReason = components['schemas']['FieldReason'];
export type Focus = components['schemas']['Focus'];
export type FocusKind = components['schemas']['FocusKind'];
export type GateAccount = components['schemas']['GateAccount'];
export type GateCount = components['schemas']['GateCount'];
export type GateResponse = components['schemas']['GateResponse'];
export type GatesResponse = components['schemas']['GatesResponse'];
export type GradePrice = components['schemas']['GradePrice'];
export type Health = components['schemas']['Health'];
export type IssuedTicket = components['schemas']['IssuedTicket'];
export type Layout = components['schemas']['Layout'];
export type LayoutInput = components['schemas']['LayoutInput'];
export type LayoutResponse = components['schemas']['LayoutResponse'];
export type LayoutsResponse = components['schemas']['LayoutsResponse'];
export type Locale = components['schemas']['Locale'];
export type LoginRequest = components['schemas']['LoginRequest'];
export type MeResponse = components['schemas']['MeResponse'];
export type MethodView = components['schemas']['MethodView'];
export type MethodsResponse = components['schemas']['MethodsResponse'];
export type MinuteCount = components['schemas']['MinuteCount'];
export type NewTicketType = components['schemas']['NewTicketType'];
export type OfflineAdmission = components['schemas']['OfflineAdmission'];
export type OfflineBundle = components['schemas']['OfflineBundle'];
export type OnSale = components['schemas']['OnSale'];
export type OrderTicketsRequest = components['schemas']['OrderTicketsRequest'];
export type Pagination = components['schemas']['Pagination'];
export type PaidResponse = components['schemas']['PaidResponse'];
export type PayRequest = components['schemas']['PayRequest'];
export type Payment = components['schemas']['Payment'];
export type PaymentMethod = components['schemas']['PaymentMethod'];
export type PaymentStatus = components['schemas']['PaymentStatus'];
export type PaymentSummary = components['schemas']['PaymentSummary'];
export type Point = components['schemas']['Point'];
export type PosterImage = components['schemas']['PosterImage'];
export type QueueInput = components['schemas']['QueueInput'];
export type QueueLoad = components['schemas']['QueueLoad'];
export type QueueSettings = components['schemas']['QueueSettings'];
export type QueueStatus = components['schemas']['QueueStatus'];
export type QueueStrategy = components['schemas']['QueueStrategy'];
export type RegisterRequest = components['schemas']['RegisterRequest'];
export type RequestStatus = components['schemas']['RequestStatus'];
export type Reservation = components['schemas']['Reservation'];
export type ReservationEvent = components['schemas']['ReservationEvent'];
export type ReservationItem = components['schemas']['ReservationItem'];
export type ReservationPage = components['schemas']['ReservationPage'];
export type ReservationResponse = components['schemas']['ReservationResponse'];
export type ReservationStatus = components['schemas']['ReservationStatus'];
export type ReservationsResponse = components['schemas']['ReservationsResponse'];
export type ReserveSeatsRequest = components['schemas']['ReserveSeatsRequest'];
export type ReservedResponse = components['schemas']['ReservedResponse'];
export type Revenue = components['schemas']['Revenue'];
export type RevocationList = components['schemas']['RevocationList'];
export type Role = components['schemas']['Role'];
export type Sales = components['schemas']['Sales'];
export type ScanOutcome = components['schemas']['ScanOutcome'];
export type ScanRequest = components['schemas']['ScanRequest'];
export type ScanResult = components['schemas']['ScanResult'];
export type ScannedTicket = components['schemas']['ScannedTicket'];
export type Seat = components['schemas']['Seat'];
export type SeatCounts = components['schemas']['SeatCounts'];
export type SeatLabel = components['schemas']['SeatLabel'];
export type SeatMap = components['schemas']['SeatMap'];
export type SeatStatus = components['schemas']['SeatStatus'];
export type Seating = components['schemas']['Seating'];
export type Section = components['schemas']['Section'];
export type SectionGeometry = components['schemas']['SectionGeometry'];
export type StatsResponse = components['schemas']['StatsResponse'];
export type SyncOutcome = components['schemas']['SyncOutcome'];
export type SyncRequest = components['schemas']['SyncRequest'];
export type SyncResponse = components['schemas']['SyncResponse'];
export type SyncResult = components['schemas']['SyncResult'];
export type TicketLine = components['schemas']['TicketLine'];
export type TicketType = components['schemas']['TicketType'];
export type TicketsResponse = components['schemas']['TicketsResponse'];
export type UpdateMeRequest = components['schemas']['UpdateMeRequest'];
export type User = components['schemas']['User'];
export type ValidationDetails = components['schemas']['ValidationDetails'];
export type $defs = Record<string, never>;
export interface operations {
    audit: {
        parameters: {
            query?: {
                /** @description The admin's email. */
                actor?: string | null;
                /** @description event | layout */
                entityType?: string | null;
                entityId?: string | null;
                /** @description event.create | event.update | event.cancel | layout.create */
                action?: string | null;
                /** @description An instant, or a date (whole day, Asia/Seoul) from which on. */
                from?: string | null;
                /** @description An instant, or a date (whole day, Asia/Seoul) up to which. */
                to?: string | null;
                page?: string | null;
                limit?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    dashboard_stats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatsResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    list_events: {
        parameters: {
            query?: {
                /** @description upcoming | on_sale | sold_out | ended | cancelled */
                status?: string | null;
                /**
                 * @description Search text: matches titles and artists in Korean or English (and venues), with
                 *     small typos and any spacing; results are then ordered by relevance.
                 */
                q?: string | null;
                /** @description 1-based page number. */
                page?: string | null;
                /** @description 1..=100, default 20. */
                limit?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminEventList"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    create_event: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EventInput"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description VALIDATION_FAILED with per-field details */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    update_event: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EventInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description EVENT_CANCELLED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description VALIDATION_FAILED with per-field details */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    cancel_event: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description optional */
        requestBody: {
            content: {
                "application/json": components["schemas"]["CancelInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CancelResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    cancel_impact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CancelImpactResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description EVENT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    stats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckinStatsResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    list_gates: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatesResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    create_gate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateGateRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GateResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description EVENT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description EMAIL_TAKEN */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    upload_poster: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description the image file (JPEG, PNG or WebP; told apart by content) */
        requestBody: {
            content: {
                "application/octet-stream": number[];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description EVENT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description EVENT_CANCELLED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: more than MEDIA_MAX_UPLOAD_BYTES */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description UNSUPPORTED_IMAGE_TYPE: not a JPEG, PNG or WebP file */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description TOO_MANY_PIXELS (more than MEDIA_MAX_PIXELS) or CORRUPT_IMAGE */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    reservations_csv: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description EVENT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    sales_csv: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description EVENT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    list_layouts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LayoutsResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    create_layout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LayoutInput"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LayoutResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description LAYOUT_NAME_TAKEN */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description VALIDATION_FAILED with per-field details */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    list_reservations: {
        parameters: {
            query?: {
                eventId?: string | null;
                /** @description pending | confirmed | cancelled | expired */
                status?: string | null;
                /** @description Part of the fan's email, any case. */
                email?: string | null;
                /** @description Created at or after: an instant, or a date (Asia/Seoul). */
                from?: string | null;
                /** @description Created at or before: an instant, or a date (the whole day, Asia/Seoul). */
                to?: string | null;
                page?: string | null;
                limit?: string | null;
                /** @description `createdAt` (oldest first) or `-createdAt` (newest first, the default). */
                sort?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReservationPage"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description INVALID_CREDENTIALS */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description RATE_LIMITED: too many requests; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: {
                /** @description End every session of the account, not only this token. */
                all?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    update_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateMeRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description VALIDATION_FAILED with per-field details */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description EMAIL_TAKEN */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description VALIDATION_FAILED with per-field details */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description RATE_LIMITED: too many requests; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    offline_bundle: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                eventId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OfflineBundle"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    checkin_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GateResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description NOT_A_GATE */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    scan: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ScanRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanOutcome"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description CHECKIN_FORBIDDEN | GATE_OTHER_EVENT | GATE_MISMATCH */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    sync: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SyncRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description CHECKIN_FORBIDDEN | GATE_OTHER_EVENT | GATE_MISMATCH */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    list: {
        parameters: {
            query?: {
                /** @description upcoming | on_sale | sold_out | ended | cancelled */
                status?: string | null;
                /**
                 * @description Search text: matches titles and artists in Korean or English (and venues), with
                 *     small typos and any spacing; results are then ordered by relevance.
                 */
                q?: string | null;
                /** @description 1-based page number. */
                page?: string | null;
                /** @description 1..=100, default 20. */
                limit?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventList"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    detail: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventDetail"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    methods: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MethodsResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    process: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1 to 255 characters; optional: without it the reservation is the idempotency scope */
                "Idempotency-Key"?: string | null;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PayRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaidResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description PAYMENT_DECLINED (the hold stays) */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description RESERVATION_ALREADY_PAID | RESERVATION_CANCELLED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description RESERVATION_EXPIRED */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    leave: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                eventId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description RATE_LIMITED: too many requests; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    challenge: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                eventId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Challenge"];
                };
            };
            /** @description QUEUE_NOT_ENABLED | CHALLENGE_NOT_REQUIRED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description EVENT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description RATE_LIMITED: too many requests; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    join: {
        parameters: {
            query?: never;
            header?: {
                /** @description solved challenge (ALTCHA payload, base64 JSON) */
                "X-Altcha"?: string | null;
            };
            path: {
                eventId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueStatus"];
                };
            };
            /** @description QUEUE_NOT_ENABLED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description POW_REQUIRED | POW_INVALID */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description EVENT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description QUEUE_NOT_OPEN | EVENT_NOT_ON_SALE | POW_ALREADY_USED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description RATE_LIMITED: too many requests; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    status: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                eventId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueStatus"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description QUEUE_NOT_JOINED */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description RATE_LIMITED: too many requests; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    order_tickets: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1 to 255 visible characters. A retry with the same key gets the first request's answer and never a second hold; the same key with a different body is a 422 (IDEMPOTENCY_KEY_REUSED). */
                "Idempotency-Key"?: string;
                /** @description The token `POST /api/queue/{eventId}/join` or `GET /api/queue/{eventId}/status` gave an admitted fan; required when the event uses the waiting room (403 without it). */
                "X-Admission-Token"?: string;
                /** @description `respond-async` answers 202 with a request id at once instead of waiting for the decision; poll `GET /api/seats/requests/{requestId}` or listen for `reservation-result`. */
                Prefer?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrderTicketsRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReservedResponse"];
                };
            };
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AcceptedResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description SOLD_OUT | ALREADY_HOLDING | EVENT_NOT_ON_SALE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description RATE_LIMITED: too many requests; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    mine: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReservationsResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReservationResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    cancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CancelledResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description NOT_CANCELLABLE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    list_tickets: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketsResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description RESERVATION_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    seat_map: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                eventId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SeatMap"];
                };
            };
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    block_summary: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                eventId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BlockMap"];
                };
            };
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    block_seats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                eventId: string;
                /** @description the block's `id` from the summary */
                blockId: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BlockSeats"];
                };
            };
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    layouts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LayoutsResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    request_status: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RequestStatus"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    get_seat_reservation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReservationResponse"];
                };
            };
            /** @description INVALID_PATH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description RESERVATION_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    reserve_seats: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1 to 255 visible characters. A retry with the same key gets the first request's answer and never a second hold; the same key with a different body is a 422 (IDEMPOTENCY_KEY_REUSED). */
                "Idempotency-Key"?: string;
                /** @description The token `POST /api/queue/{eventId}/join` or `GET /api/queue/{eventId}/status` gave an admitted fan; required when the event uses the waiting room (403 without it). */
                "X-Admission-Token"?: string;
                /** @description `respond-async` answers 202 with a request id at once instead of waiting for the decision; poll `GET /api/seats/requests/{requestId}` or listen for `reservation-result`. */
                Prefer?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReserveSeatsRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReservedResponse"];
                };
            };
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AcceptedResponse"];
                };
            };
            /** @description error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description SEAT_UNAVAILABLE | ALREADY_HOLDING | EVENT_NOT_ON_SALE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description RATE_LIMITED: too many requests; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
}
