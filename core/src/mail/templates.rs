//! What each e-mail says, in Korean and in English. The plain text is the message; the HTML
//! alternative ([`html`]) is the same text laid out with inline styles (mail clients drop
//! style sheets), every piece of it escaped: a fan's name or an event title is text, never
//! markup. The booking's facts (seats, total, the event's time in the event's own time
//! zone) are what matter.

use chrono::{DateTime, Utc};

use super::{
    compose::{Details, Item},
    Locale, MailKind,
};

/// Subject and body of the mail.
pub fn render(d: &Details) -> (String, String) {
    match d.locale {
        Locale::Ko => korean(d),
        Locale::En => english(d),
    }
}

/// The HTML alternative of a mail whose plain text is `body`: paragraphs as the text has
/// them (blank lines), lines kept, list items (`- `) as a list; a heading with `subject`.
pub fn html(subject: &str, body: &str) -> String {
    let esc = |t: &str| html_escape::encode_text(t).into_owned();
    let mut blocks = String::new();
    for paragraph in body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let lines: Vec<&str> = paragraph.lines().collect();
        if lines.iter().all(|l| l.starts_with("- ")) {
            blocks.push_str(r#"<ul style="margin:0 0 16px;padding-left:20px">"#);
            for l in lines {
                blocks.push_str(&format!(
                    r#"<li style="margin:2px 0">{}</li>"#,
                    esc(&l[2..])
                ));
            }
            blocks.push_str("</ul>");
        } else {
            let text: Vec<String> = lines.iter().map(|l| esc(l)).collect();
            blocks.push_str(&format!(
                r#"<p style="margin:0 0 16px">{}</p>"#,
                text.join("<br>")
            ));
        }
    }
    format!(
        concat!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width\"><title>{title}</title></head>",
            "<body style=\"margin:0;padding:0;background:#f4f4f5\">",
            "<div style=\"max-width:560px;margin:0 auto;padding:24px;background:#ffffff;",
            "font-family:'Apple SD Gothic Neo','Malgun Gothic',Arial,sans-serif;",
            "font-size:15px;line-height:1.6;color:#18181b\">",
            "<div style=\"font-size:13px;font-weight:bold;letter-spacing:2px;color:#6d28d9\">TIKETI</div>",
            "<h1 style=\"font-size:19px;margin:8px 0 20px\">{title}</h1>{blocks}</div></body></html>\n"
        ),
        title = esc(subject),
        blocks = blocks
    )
}

pub fn booking_label(locale: Locale) -> &'static str {
    match locale {
        Locale::Ko => "예매 번호",
        Locale::En => "Booking",
    }
}

fn korean(d: &Details) -> (String, String) {
    let e = &d.event;
    let when = event_time(d, e.starts_at);
    let head = format!(
        "공연: {}\n일시: {when}\n장소: {}\n예매 번호: {}\n",
        e.title,
        place(d),
        d.code
    );
    let items = items(d);
    let total = format!("합계: {}", won(d.locale, d.total_amount));
    match d.kind {
        MailKind::BookingConfirmed => (
            format!("[Tiketi] 예매 확정: {}", e.title),
            format!(
                "{}님, 예매가 확정되었습니다.\n\n{head}\n{items}{total}\n{}\n\
                 일정은 첨부한 캘린더 파일(.ics)로 추가할 수 있습니다. 입장할 때 첨부한 티켓(PDF)의 \
                 QR 코드나 Tiketi의 '내 예매'에서 티켓을 보여 주세요.\n",
                d.fan_name,
                paid_line(d)
            ),
        ),
        MailKind::HoldExpiring => (
            format!("[Tiketi] 선점한 좌석이 곧 풀립니다: {}", e.title),
            format!(
                "{}님, 선점하신 좌석의 결제 시한이 {}에 끝납니다.\n\
                 그때까지 결제하지 않으면 좌석은 다른 분께 돌아갑니다.\n\n{head}\n{items}{total}\n",
                d.fan_name,
                event_time(d, d.expires_at)
            ),
        ),
        MailKind::ReservationCancelled => (
            format!("[Tiketi] 예매 취소: {}", e.title),
            format!(
                "{}님, 요청하신 대로 예매가 취소되었습니다.\n\n{head}\n{items}{total}\n{}",
                d.fan_name,
                refund_line(d)
            ),
        ),
        MailKind::EventCancelled => (
            format!("[Tiketi] 공연 취소 안내: {}", e.title),
            format!(
                "{}님, 주최 측 사정으로 공연이 취소되어 예매도 함께 취소되었습니다.\n{}\n{head}\n{items}{total}\n{}",
                d.fan_name,
                e.cancel_reason
                    .as_deref()
                    .map(|r| format!("취소 사유: {r}\n"))
                    .unwrap_or_default(),
                refund_line(d)
            ),
        ),
    }
}

fn english(d: &Details) -> (String, String) {
    let e = &d.event;
    let when = event_time(d, e.starts_at);
    let head = format!(
        "Event: {}\nWhen: {when}\nWhere: {}\nBooking: {}\n",
        e.title,
        place(d),
        d.code
    );
    let items = items(d);
    let total = format!("Total: {}", won(d.locale, d.total_amount));
    match d.kind {
        MailKind::BookingConfirmed => (
            format!("[Tiketi] Booking confirmed: {}", e.title),
            format!(
                "Hello {}, your booking is confirmed.\n\n{head}\n{items}{total}\n{}\n\
                 Add it to your calendar with the attached .ics file. At the entrance, show \
                 the QR codes of the attached tickets (PDF) or your tickets from \"My bookings\" \
                 in Tiketi.\n",
                d.fan_name,
                paid_line(d)
            ),
        ),
        MailKind::HoldExpiring => (
            format!("[Tiketi] Your held seats are about to be released: {}", e.title),
            format!(
                "Hello {}, the seats you hold must be paid for by {}.\n\
                 After that they go back on sale.\n\n{head}\n{items}{total}\n",
                d.fan_name,
                event_time(d, d.expires_at)
            ),
        ),
        MailKind::ReservationCancelled => (
            format!("[Tiketi] Booking cancelled: {}", e.title),
            format!(
                "Hello {}, your booking was cancelled as you asked.\n\n{head}\n{items}{total}\n{}",
                d.fan_name,
                refund_line(d)
            ),
        ),
        MailKind::EventCancelled => (
            format!("[Tiketi] Event cancelled: {}", e.title),
            format!(
                "Hello {}, the organizer cancelled this event, and your booking with it.\n{}\n{head}\n{items}{total}\n{}",
                d.fan_name,
                e.cancel_reason
                    .as_deref()
                    .map(|r| format!("Reason: {r}\n"))
                    .unwrap_or_default(),
                refund_line(d)
            ),
        ),
    }
}

fn place(d: &Details) -> String {
    if d.event.address.is_empty() {
        d.event.venue.clone()
    } else {
        format!("{} ({})", d.event.venue, d.event.address)
    }
}

/// An instant as the event's wall clock, with the zone named: a fan abroad still reads the
/// time printed on the venue's door.
pub fn event_time(d: &Details, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&d.event.zone.tz());
    let zone = format!("{}, UTC{}", d.event.zone.name(), local.format("%:z"));
    match d.locale {
        Locale::Ko => format!("{} ({zone})", local.format("%Y년 %-m월 %-d일 %H:%M")),
        Locale::En => format!("{} ({zone})", local.format("%-d %b %Y, %H:%M")),
    }
}

fn items(d: &Details) -> String {
    let mut out = String::new();
    for item in &d.items {
        let what = match item {
            Item::Seat {
                section,
                row,
                number,
                ..
            } => match d.locale {
                Locale::Ko => format!("{section} {row}열 {number}번"),
                Locale::En => format!("{section}, row {row}, seat {number}"),
            },
            Item::Tickets { name, quantity, .. } => format!("{name} × {quantity}"),
        };
        out.push_str(&format!("- {what}: {}\n", won(d.locale, item.amount())));
    }
    out
}

fn paid_line(d: &Details) -> String {
    match &d.payment {
        Some(p) => match d.locale {
            Locale::Ko => format!(
                "결제: {} {}\n",
                p.method.korean_name(),
                won(d.locale, p.amount)
            ),
            Locale::En => format!(
                "Paid: {} with {}\n",
                won(d.locale, p.amount),
                p.method.english_name()
            ),
        },
        None => String::new(),
    }
}

fn refund_line(d: &Details) -> String {
    match &d.payment {
        Some(p) if p.refunded => match d.locale {
            Locale::Ko => format!(
                "결제하신 {}은 {}(으)로 환불되었습니다.\n",
                won(d.locale, p.amount),
                p.method.korean_name()
            ),
            Locale::En => format!(
                "Your payment of {} was refunded to {}.\n",
                won(d.locale, p.amount),
                p.method.english_name()
            ),
        },
        _ => match d.locale {
            Locale::Ko => {
                "결제 전이던 좌석 선점이 해제되었습니다. 청구된 금액은 없습니다.\n".into()
            }
            Locale::En => {
                "Your seats were held but not yet paid for: nothing was charged.\n".into()
            }
        },
    }
}

/// Korean won with thousands separators: `120,000원` / `KRW 120,000`.
pub fn won(locale: Locale, amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if amount < 0 { "-" } else { "" };
    match locale {
        Locale::Ko => format!("{sign}{grouped}원"),
        Locale::En => format!("KRW {sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_what_fans_and_organizers_typed() {
        let html = html(
            "[Tiketi] Booking confirmed: <script>alert(1)</script> & Friends",
            "Hello <b>Kim</b> & \"co\", booked.\n\n- A, row 1, seat 2: KRW 1\n- <img src=x>: KRW 2\n\nTotal: KRW 3\n",
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Friends"),
            "{html}"
        );
        assert!(
            html.contains("Hello &lt;b&gt;Kim&lt;/b&gt; &amp;"),
            "{html}"
        );
        assert!(
            html.contains("<li style=\"margin:2px 0\">&lt;img src=x&gt;: KRW 2</li>"),
            "{html}"
        );
        assert!(
            html.contains("<p style=\"margin:0 0 16px\">Total: KRW 3</p>"),
            "{html}"
        );
    }

    #[test]
    fn won_groups_thousands() {
        assert_eq!(won(Locale::Ko, 0), "0원");
        assert_eq!(won(Locale::Ko, 999), "999원");
        assert_eq!(won(Locale::Ko, 1_000), "1,000원");
        assert_eq!(won(Locale::En, 1_234_567), "KRW 1,234,567");
    }
}
