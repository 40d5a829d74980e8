//! Payment methods and paying for a hold.

use axum::{extract::State, http::HeaderMap};
use serde::{Deserialize, Serialize};
use tiketi_core::{
    infra::config::Environment,
    payment::{self, Payment, PaymentError, PaymentMethod, PaymentRequest},
    reservation::{self, Reservation, ReservationStatus},
};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    error::{ApiError, ApiResult},
    extract::{Buyer, Json},
    routes::{payment_scope as scope, queue, reservations::announce},
    state::AppState,
};

#[derive(Serialize, ToSchema)]
pub struct MethodView {
    id: &'static str,
    name: &'static str,
    #[serde(rename = "nameEn")]
    name_en: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct MethodsResponse {
    methods: Vec<MethodView>,
}

/// The payment methods fans can choose.
#[utoipa::path(get, path = "/api/payments/methods", tag = "payments", responses((status = 200, body = MethodsResponse)))]
pub async fn methods() -> Json<MethodsResponse> {
    Json(MethodsResponse {
        methods: PaymentMethod::ALL
            .into_iter()
            .map(|m| MethodView {
                id: m.as_str(),
                name: m.korean_name(),
                name_en: m.english_name(),
            })
            .collect(),
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PayRequest {
    reservation_id: Uuid,
    #[serde(default)]
    payment_method: String,
    /// `"decline"` makes the mock provider decline (not honoured in production).
    #[serde(default)]
    simulate: Option<String>,
}

/// The truth about a reservation that can no longer be paid: paid already (with another
/// key; the same key gets its payment back), cancelled, or expired.
fn not_payable(status: ReservationStatus) -> ApiError {
    let details = Some(serde_json::json!({ "status": status }));
    match status {
        ReservationStatus::Confirmed => ApiError::Conflict {
            code: "RESERVATION_ALREADY_PAID",
            message: "this reservation is paid already".into(),
            details,
        },
        ReservationStatus::Expired => ApiError::Gone {
            code: "RESERVATION_EXPIRED",
            message: "this hold expired and its seats were released".into(),
            details,
        },
        ReservationStatus::Cancelled => ApiError::Conflict {
            code: "RESERVATION_CANCELLED",
            message: "this reservation was cancelled".into(),
            details,
        },
        _ => ApiError::Conflict {
            code: "RESERVATION_NOT_PAYABLE",
            message: "this reservation cannot be paid".into(),
            details,
        },
    }
}

#[derive(Serialize, ToSchema)]
pub struct PaidResponse {
    payment: Payment,
    reservation: Reservation,
}

/// Pay for the fan's own pending hold. With an `Idempotency-Key` header the same key and
/// body return the same payment and the same key with another body is a 422. Without one
/// (the plan's request) the reservation is the scope: a retry returns its payment, never
/// a second charge, and keyless attempts of one reservation are made one at a time.
#[utoipa::path(post, path = "/api/payments/process", tag = "payments", request_body = PayRequest,
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header,
            description = "1 to 255 characters; optional: without it the reservation is the idempotency scope")),
    responses((status = 200, body = PaidResponse), (status = 402, description = "PAYMENT_DECLINED (the hold stays)"),
              (status = 404), (status = 409, description = "RESERVATION_ALREADY_PAID | RESERVATION_CANCELLED"),
              (status = 410, description = "RESERVATION_EXPIRED"), (status = 422),
              (status = 403, description = "GATE_ACCOUNT")))]
pub async fn process(
    State(state): State<AppState>,
    Buyer(user): Buyer,
    headers: HeaderMap,
    Json(req): Json<PayRequest>,
) -> ApiResult<Json<PaidResponse>> {
    let mut errors = Vec::new();
    let given = match headers.get("idempotency-key") {
        None => None,
        Some(v) => Some(v.to_str().map(str::trim).unwrap_or("")),
    };
    if given.is_some_and(|key| key.is_empty() || key.len() > 255) {
        errors.push((
            "Idempotency-Key".to_string(),
            "header of 1 to 255 characters, or no header".to_string(),
        ));
    }
    let method = PaymentMethod::parse(&req.payment_method);
    if method.is_none() {
        errors.push((
            "paymentMethod".to_string(),
            "must be naver_pay, kakao_pay or bank_transfer".to_string(),
        ));
    }
    let simulate_decline = match req.simulate.as_deref() {
        None => false,
        Some("decline") if state.config.infra.environment != Environment::Production => true,
        Some(_) => {
            errors.push((
                "simulate".to_string(),
                "only \"decline\", and not in production".to_string(),
            ));
            false
        }
    };
    let (Some(method), true) = (method, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    // A hold on a queued event is paid only within the fan's admission. A booking already
    // paid skips the check, so a retry after a lost response still gets its payment back.
    let queued = sqlx::query!(
        r#"SELECT r.event_id, e.queue_enabled, r.status AS "status: ReservationStatus"
        FROM reservations r JOIN events e ON e.id = r.event_id
        WHERE r.id = $1 AND r.user_id = $2"#,
        req.reservation_id,
        user.id,
    )
    .fetch_optional(&state.pool)
    .await?;
    let admission = match &queued {
        Some(r) if r.queue_enabled && r.status == ReservationStatus::Pending => {
            queue::require_admission(&state, user.id, r.event_id, true, &headers).await?
        }
        _ => None,
    };
    // A client key is its own idempotency scope (the key's record decides, as it always
    // did); only keyless attempts need to take turns so that a retry finds the first one's
    // answer instead of charging again. Keyed payments, the hot path, skip the Redis lease.
    let (key, turn) = match given {
        Some(key) => (key.to_string(), None),
        None => {
            let turn = scope::take_turn(&state, req.reservation_id).await?;
            match scope::implicit_key(&state.pool, req.reservation_id, user.id).await {
                Ok(key) => (key, Some(turn)),
                Err(e) => {
                    turn.end(&state).await;
                    return Err(e);
                }
            }
        }
    };
    let paid = payment::process(
        &state.pool,
        &state.provider,
        PaymentRequest {
            user_id: user.id,
            reservation_id: req.reservation_id,
            method,
            idempotency_key: key,
            simulate_decline,
        },
    )
    .await;
    if let Some(turn) = turn {
        turn.end(&state).await;
    }
    let paid = paid.map_err(|e| match e {
        PaymentError::NotFound => ApiError::NotFound {
            code: "RESERVATION_NOT_FOUND",
            message: "no such reservation",
        },
        // Without a key, another request's payment of this reservation is the answer.
        PaymentError::KeyReused if given.is_none() => not_payable(ReservationStatus::Confirmed),
        PaymentError::KeyReused => ApiError::Unprocessable {
            code: "IDEMPOTENCY_KEY_REUSED",
            message: "this Idempotency-Key was used with a different request".into(),
        },
        PaymentError::NotPayable(status) => not_payable(status),
        PaymentError::Declined(payment) => {
            ApiError::PaymentDeclined(serde_json::to_value(&payment).unwrap_or_default())
        }
        PaymentError::Db(e) => e.into(),
    })?;
    if paid.fresh {
        announce(&state, &paid.outbox).await;
        if let (Some(claims), Some(held)) = (&admission, &queued) {
            // Paid: the admission is used up and its slot goes to the next fan.
            queue::end_admission(&state, held.event_id, user.id, Some(claims.tkt)).await;
        }
    }
    let reservation = reservation::find_owned(&state.pool, req.reservation_id, user.id)
        .await?
        .ok_or(ApiError::NotFound {
            code: "RESERVATION_NOT_FOUND",
            message: "no such reservation",
        })?;
    Ok(Json(PaidResponse {
        payment: paid.payment,
        reservation,
    }))
}
