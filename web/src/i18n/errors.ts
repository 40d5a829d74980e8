// What the fan reads when something goes wrong, in their language: every error code the
// api documents (`ErrorCode` in openapi.json), every field reason of a 422 (`FieldReason`)
// and the failures that never reach the api (no network, a timeout, a proxy's bare 5xx).
// errors.test.ts walks the OpenAPI document and fails when one of them has no text here.
import type { Lang } from '../lib/time';

type Table = Record<string, string>;

/** Codes the client itself gives failures without an api envelope. */
export const CLIENT_CODES = ['NETWORK', 'TIMEOUT', 'SERVER_ERROR', 'HTTP_ERROR', 'UNKNOWN'] as const;

export const errorStrings: Record<Lang, Table> = {
  ko: {
    NETWORK: '서버에 연결할 수 없습니다. 인터넷 연결을 확인하고 잠시 후 다시 시도해 주세요.',
    TIMEOUT: '서버 응답이 늦어지고 있습니다. 잠시 후 다시 시도해 주세요.',
    SERVER_ERROR: '서버에 일시적인 문제가 있습니다. 잠시 후 다시 시도해 주세요.',
    HTTP_ERROR: '요청을 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.',
    UNKNOWN: '알 수 없는 오류가 발생했습니다.',
    ADMIN_ONLY: '관리자만 사용할 수 있습니다.',
    ADMISSION_ENDED: '대기열 입장 시간이 끝났습니다. 다시 대기열에 들어가 주세요.',
    ALREADY_HOLDING: '이미 선점한 좌석이 있습니다. 먼저 결제하거나 취소해 주세요.',
    AUTH_REQUIRED: '로그인이 필요합니다.',
    BAD_REQUEST: '요청 형식이 올바르지 않습니다.',
    CHALLENGE_NOT_REQUIRED: '이 대기열은 보안 확인이 필요하지 않습니다.',
    CHECKIN_FORBIDDEN: '이 공연의 입장 확인 권한이 없습니다.',
    CORRUPT_IMAGE: '이미지 파일이 손상되었습니다.',
    EMAIL_TAKEN: '이미 가입된 이메일입니다.',
    EVENT_CANCELLED: '취소된 공연입니다.',
    EVENT_NOT_FOUND: '공연을 찾을 수 없습니다.',
    BLOCK_NOT_FOUND: '구역을 찾을 수 없습니다.',
    EVENT_NOT_ON_SALE: '지금은 예매 기간이 아닙니다.',
    GATE_MISMATCH: '이 게이트에서 확인할 수 없는 티켓입니다.',
    GATE_OTHER_EVENT: '다른 공연의 게이트 계정입니다.',
    IDEMPOTENCY_KEY_REUSED: '같은 요청이 다른 내용으로 다시 전송되었습니다. 새로 시도해 주세요.',
    INTERNAL: '서버 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.',
    INVALID_CREDENTIALS: '이메일 또는 비밀번호가 올바르지 않습니다.',
    INVALID_ORDER: '주문 내용이 올바르지 않습니다.',
    INVALID_PATH: '주소가 올바르지 않습니다.',
    INVALID_QUERY: '검색 조건이 올바르지 않습니다.',
    LAYOUT_NAME_TAKEN: '같은 이름의 좌석 배치가 이미 있습니다.',
    LAYOUT_NOT_FOUND: '좌석 배치를 찾을 수 없습니다.',
    MALFORMED_JSON: '요청 형식이 올바르지 않습니다.',
    METHOD_NOT_ALLOWED: '허용되지 않는 요청입니다.',
    NOT_A_GATE: '게이트 계정이 아닙니다.',
    NOT_A_GENERAL_ADMISSION_EVENT: '지정석 공연입니다. 좌석을 선택해 주세요.',
    NOT_A_SEATED_EVENT: '비지정석 공연입니다. 티켓 종류를 선택해 주세요.',
    NOT_CANCELLABLE: '취소할 수 없는 예매입니다.',
    NOT_FOUND: '찾을 수 없습니다.',
    PAYLOAD_TOO_LARGE: '보낸 내용이 너무 큽니다.',
    PAYMENT_DECLINED: '결제가 거절되었습니다. 좌석은 계속 선점되어 있으니 다른 결제 수단을 선택해 주세요.',
    POW_ALREADY_USED: '보안 확인이 이미 사용되었습니다. 다시 시도해 주세요.',
    POW_INVALID: '보안 확인에 실패했습니다. 다시 시도해 주세요.',
    POW_REQUIRED: '대기열에 들어가려면 보안 확인이 필요합니다.',
    PURCHASE_LIMIT_REACHED: '1인당 구매 가능한 매수를 넘었습니다.',
    QUEUE_NOT_ENABLED: '이 공연은 대기열을 사용하지 않습니다.',
    QUEUE_NOT_JOINED: '대기열에 들어가 있지 않습니다.',
    QUEUE_NOT_OPEN: '대기열이 아직 열리지 않았습니다.',
    QUEUE_TOKEN_INVALID: '대기열 입장 정보가 만료되었습니다. 다시 대기열에 들어가 주세요.',
    QUEUE_TOKEN_REQUIRED: '대기열을 거쳐야 예매할 수 있습니다.',
    RATE_LIMITED: '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.',
    REQUEST_EXPIRED: '요청 시간이 지났습니다. 다시 시도해 주세요.',
    REQUEST_NOT_FOUND: '요청을 찾을 수 없습니다.',
    REQUEST_NOT_PROCESSABLE: '요청을 처리할 수 없습니다. 다시 시도해 주세요.',
    RESERVATION_ALREADY_PAID: '이미 결제된 예매입니다.',
    RESERVATION_CANCELLED: '취소된 예매입니다.',
    RESERVATION_EXPIRED: '선점 시간이 지나 좌석이 해제되었습니다.',
    RESERVATION_NOT_FOUND: '예매를 찾을 수 없습니다.',
    RESERVATION_NOT_PAYABLE: '결제할 수 없는 예매입니다.',
    ROUTE_NOT_FOUND: '요청한 주소를 찾을 수 없습니다.',
    SEAT_UNAVAILABLE: '이미 선택된 좌석입니다. 다른 좌석을 선택해 주세요.',
    SERVICE_UNAVAILABLE: '서비스가 일시적으로 혼잡합니다. 잠시 후 다시 시도해 주세요.',
    SOLD_OUT: '매진되었습니다.',
    TOKEN_EXPIRED: '로그인이 만료되었습니다. 다시 로그인해 주세요.',
    TOKEN_INVALID: '로그인이 만료되었습니다. 다시 로그인해 주세요.',
    TOKEN_REVOKED: '로그아웃된 세션입니다. 다시 로그인해 주세요.',
    TOO_MANY_PIXELS: '이미지 해상도가 너무 큽니다.',
    UNSUPPORTED_IMAGE_TYPE: 'JPEG, PNG 또는 WebP 이미지만 올릴 수 있습니다.',
    UNSUPPORTED_MEDIA_TYPE: '지원하지 않는 형식입니다.',
    VALIDATION_FAILED: '입력 내용을 확인해 주세요.',
  },
  en: {
    NETWORK: 'Cannot reach the server. Check your connection and try again shortly.',
    TIMEOUT: 'The server is taking too long to answer. Please try again shortly.',
    SERVER_ERROR: 'The server has a temporary problem. Please try again shortly.',
    HTTP_ERROR: 'The request could not be completed. Please try again shortly.',
    UNKNOWN: 'Something went wrong.',
    ADMIN_ONLY: 'Administrators only.',
    ADMISSION_ENDED: 'Your turn from the waiting room has ended. Please join the queue again.',
    ALREADY_HOLDING: 'You already hold seats. Pay for them or cancel them first.',
    AUTH_REQUIRED: 'Please log in.',
    BAD_REQUEST: 'The request is malformed.',
    CHALLENGE_NOT_REQUIRED: 'This waiting room needs no security check.',
    CHECKIN_FORBIDDEN: 'You may not check in tickets for this event.',
    CORRUPT_IMAGE: 'The image file is damaged.',
    EMAIL_TAKEN: 'An account with this e-mail already exists.',
    EVENT_CANCELLED: 'This event has been cancelled.',
    EVENT_NOT_FOUND: 'Event not found.',
    BLOCK_NOT_FOUND: 'Block not found.',
    EVENT_NOT_ON_SALE: 'This event is not on sale right now.',
    GATE_MISMATCH: 'This ticket cannot be checked in at this gate.',
    GATE_OTHER_EVENT: 'This gate account belongs to another event.',
    IDEMPOTENCY_KEY_REUSED: 'The same request was sent again with different content. Please start over.',
    INTERNAL: 'A server error occurred. Please try again shortly.',
    INVALID_CREDENTIALS: 'E-mail or password is incorrect.',
    INVALID_ORDER: 'The order is not valid.',
    INVALID_PATH: 'The address is not valid.',
    INVALID_QUERY: 'The search filters are not valid.',
    LAYOUT_NAME_TAKEN: 'A seat layout with this name already exists.',
    LAYOUT_NOT_FOUND: 'Seat layout not found.',
    MALFORMED_JSON: 'The request is malformed.',
    METHOD_NOT_ALLOWED: 'This request is not allowed.',
    NOT_A_GATE: 'This is not a gate account.',
    NOT_A_GENERAL_ADMISSION_EVENT: 'This event has reserved seating; please pick seats.',
    NOT_A_SEATED_EVENT: 'This event is general admission; please pick ticket types.',
    NOT_CANCELLABLE: 'This booking can no longer be cancelled.',
    NOT_FOUND: 'Not found.',
    PAYLOAD_TOO_LARGE: 'What you sent is too large.',
    PAYMENT_DECLINED: 'The payment was declined. Your seats are still held; try another method.',
    POW_ALREADY_USED: 'The security check was already used. Please try again.',
    POW_INVALID: 'The security check failed. Please try again.',
    POW_REQUIRED: 'A security check is needed to join this waiting room.',
    PURCHASE_LIMIT_REACHED: 'You have reached the ticket limit per fan.',
    QUEUE_NOT_ENABLED: 'This event has no waiting room.',
    QUEUE_NOT_JOINED: 'You are not in the waiting room.',
    QUEUE_NOT_OPEN: 'The waiting room is not open yet.',
    QUEUE_TOKEN_INVALID: 'Your waiting-room pass has expired. Please join the queue again.',
    QUEUE_TOKEN_REQUIRED: 'Please go through the waiting room to book.',
    RATE_LIMITED: 'Too many requests. Please wait a moment.',
    REQUEST_EXPIRED: 'The request timed out. Please try again.',
    REQUEST_NOT_FOUND: 'Request not found.',
    REQUEST_NOT_PROCESSABLE: 'The request could not be processed. Please try again.',
    RESERVATION_ALREADY_PAID: 'This booking is already paid.',
    RESERVATION_CANCELLED: 'This booking has been cancelled.',
    RESERVATION_EXPIRED: 'Your hold expired and the seats were released.',
    RESERVATION_NOT_FOUND: 'Booking not found.',
    RESERVATION_NOT_PAYABLE: 'This booking cannot be paid.',
    ROUTE_NOT_FOUND: 'No such page on the server.',
    SEAT_UNAVAILABLE: 'That seat was just taken. Please choose another.',
    SERVICE_UNAVAILABLE: 'The service is busy. Please try again shortly.',
    SOLD_OUT: 'Sold out.',
    TOKEN_EXPIRED: 'Your session has expired. Please log in again.',
    TOKEN_INVALID: 'Your session has expired. Please log in again.',
    TOKEN_REVOKED: 'You were logged out. Please log in again.',
    TOO_MANY_PIXELS: 'The image resolution is too large.',
    UNSUPPORTED_IMAGE_TYPE: 'Only JPEG, PNG or WebP images can be uploaded.',
    UNSUPPORTED_MEDIA_TYPE: 'This format is not supported.',
    VALIDATION_FAILED: 'Please check what you entered.',
  },
};

/** Field reasons; `{min}`, `{max}`, `{allowed}`, `{other}` come from the reason's params. */
export const reasonStrings: Record<Lang, Table> = {
  ko: {
    required: '필수 항목입니다.',
    too_short: '{min}자 이상 입력해 주세요.',
    too_long: '{max}자 이하로 입력해 주세요.',
    length_range: '{min}~{max}자로 입력해 주세요.',
    out_of_range: '{range} 범위의 값을 입력해 주세요.',
    too_many: '최대 {max}개까지 가능합니다.',
    one_of: '다음 중 하나여야 합니다: {allowed}',
    invalid_uuid: '올바른 ID가 아닙니다.',
    invalid_datetime: '올바른 날짜와 시간을 입력해 주세요.',
    unknown_timezone: '알 수 없는 시간대입니다 (예: Asia/Seoul).',
    nonexistent_local_time: '서머타임 전환으로 존재하지 않는 시각입니다.',
    ambiguous_local_time: '서머타임 전환으로 두 번 있는 시각입니다. 오프셋을 함께 입력해 주세요.',
    invalid_email: '올바른 이메일 주소가 아닙니다.',
    weak_password: '비밀번호에 영문자와 숫자를 모두 넣어 주세요.',
    control_characters: '사용할 수 없는 문자가 들어 있습니다.',
    duplicate: '중복된 값이 있습니다.',
    unknown_field: '알 수 없는 항목입니다.',
    must_be_before: '{other}보다 앞서야 합니다.',
    must_not_be_after: '{other}보다 늦을 수 없습니다.',
    must_not_be_before: '{other}보다 앞설 수 없습니다.',
    invalid_url: 'http(s) 주소 또는 /로 시작하는 경로를 입력해 주세요.',
    invalid_colour: '#rrggbb 형식의 색상을 입력해 주세요.',
    immutable: '변경할 수 없는 항목입니다.',
    seating_choice: '좌석 배치(지정석) 또는 티켓 종류(비지정석) 중 하나만 선택해 주세요.',
    empty_order: '티켓을 한 장 이상 선택해 주세요.',
    invalid_type: '값의 형식이 올바르지 않습니다.',
    not_found: '존재하지 않는 항목입니다.',
    sale_window: '예매 기간과 맞지 않는 상태입니다.',
    invalid: '올바르지 않은 값입니다.',
  },
  en: {
    required: 'This is required.',
    too_short: 'Use at least {min} characters.',
    too_long: 'Use at most {max} characters.',
    length_range: 'Use {min} to {max} characters.',
    out_of_range: 'Enter a value in {range}.',
    too_many: 'At most {max} allowed.',
    one_of: 'Must be one of: {allowed}',
    invalid_uuid: 'Not a valid id.',
    invalid_datetime: 'Enter a valid date and time.',
    unknown_timezone: 'Unknown time zone (e.g. Asia/Seoul).',
    nonexistent_local_time: 'This time does not exist on that day (clocks skip it).',
    ambiguous_local_time: 'This time happens twice on that day; add an offset.',
    invalid_email: 'Not a valid e-mail address.',
    weak_password: 'Use at least one letter and one digit.',
    control_characters: 'Contains characters that are not allowed.',
    duplicate: 'Contains a duplicate.',
    unknown_field: 'Unknown field.',
    must_be_before: 'Must be before {other}.',
    must_not_be_after: 'Must not be later than {other}.',
    must_not_be_before: 'Must not be before {other}.',
    invalid_url: 'Enter an http(s) URL or a path starting with /.',
    invalid_colour: 'Enter a colour as #rrggbb.',
    immutable: 'This cannot be changed.',
    seating_choice: 'Choose either a seat layout (reserved) or ticket types (general admission).',
    empty_order: 'Choose at least one ticket.',
    invalid_type: 'The value has the wrong format.',
    not_found: 'No such item.',
    sale_window: 'This status does not agree with the sale window.',
    invalid: 'Not a valid value.',
  },
};

/** Payment methods and payment/reservation statuses, by name. */
export const paymentMethodNames: Record<Lang, Table> = {
  ko: { naver_pay: '네이버페이', kakao_pay: '카카오페이', bank_transfer: '계좌이체' },
  en: { naver_pay: 'Naver Pay', kakao_pay: 'Kakao Pay', bank_transfer: 'Bank transfer' },
};

export const paymentStatusNames: Record<Lang, Table> = {
  ko: { completed: '결제 완료', declined: '결제 거절', refunded: '환불됨' },
  en: { completed: 'Paid', declined: 'Declined', refunded: 'Refunded' },
};

export const reservationStatusNames: Record<Lang, Table> = {
  ko: { pending: '결제 대기', confirmed: '예매 완료', cancelled: '취소됨', expired: '만료됨' },
  en: { pending: 'Awaiting payment', confirmed: 'Confirmed', cancelled: 'Cancelled', expired: 'Expired' },
};

export interface FieldProblem {
  reason: string;
  params?: Record<string, unknown>;
}

function fill(s: string, vars: Record<string, string>): string {
  return s.replace(/\{(\w+)\}/g, (whole, k: string) => vars[k] ?? whole);
}

/** A refused field's text from its reason and params. */
export function fieldText(lang: Lang, problem: FieldProblem): string {
  const params = problem.params ?? {};
  const num = (k: string) => (typeof params[k] === 'number' ? (params[k] as number).toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-US') : '');
  const min = num('min');
  const max = num('max');
  const range = min && max ? `${min}~${max}` : min ? (lang === 'ko' ? `${min} 이상` : `${min} or more`) : max ? (lang === 'ko' ? `${max} 이하` : `up to ${max}`) : '';
  const allowed = Array.isArray(params.allowed) ? (params.allowed as unknown[]).map(String).join(', ') : '';
  const other = typeof params.other === 'string' ? params.other : '';
  const table = reasonStrings[lang];
  return fill(table[problem.reason] ?? table.invalid, { min, max, range, allowed, other });
}

/** The text of an error code, falling back to the generic text of its kind. */
export function codeText(lang: Lang, code: string, status = 0): string {
  const table = errorStrings[lang];
  if (table[code]) return table[code];
  if (status >= 500) return table.SERVER_ERROR;
  if (status > 0) return table.HTTP_ERROR;
  return table.UNKNOWN;
}

export const methodName = (lang: Lang, method: string) => paymentMethodNames[lang][method] ?? method;
export const paymentStatusName = (lang: Lang, status: string) => paymentStatusNames[lang][status] ?? status;
