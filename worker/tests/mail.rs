//! E-mail through the outbox, end to end: the api and worker make the changes, the outbox
//! rows they write are sent by the mail sender to a real SMTP server (aiosmtpd, started by
//! each test on an allocated port, writing what it accepts to a maildir this test reads).

use std::{
    collections::{HashMap, HashSet},
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::json;
use sqlx::PgPool;
use tiketi_core::{
    admin::events::{cancel as cancel_event, CancelInput},
    mail::{
        outbox,
        sender::{MailConfig, Sender},
        MailKind, MailStatus,
    },
};
use tiketi_testkit::{body, eventually, mail_config, sections, Fan, Options, Stack};
use uuid::Uuid;

const SINK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/mail/smtp_sink.py");

/// aiosmtpd from PyPI, installed for the current user's Python if it is missing.
fn ensure_aiosmtpd() {
    let has = |py: &str| {
        Command::new("python3")
            .args(["-c", py])
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    if has("import aiosmtpd") {
        return;
    }
    let installed = Command::new("python3")
        .args(["-m", "pip", "install", "--quiet", "aiosmtpd>=1.4,<2"])
        .status()
        .expect("python3 runs");
    assert!(
        installed.success() && has("import aiosmtpd"),
        "aiosmtpd installs"
    );
}

/// One SMTP server on a port of its own, which the test can start and stop.
struct SmtpSink {
    port: u16,
    dir: PathBuf,
    child: Option<Child>,
    /// `starttls` or `implicit`, with the server's certificate and key.
    tls: Option<(&'static str, PathBuf, PathBuf)>,
}

/// A message as the server received it.
#[derive(Debug, Clone)]
struct Received {
    rcpt: String,
    subject: String,
    message_id: String,
    text: String,
    html: Option<String>,
    calendar: Option<String>,
    /// The tickets' PDF: its file name and bytes.
    pdf: Option<(String, Vec<u8>)>,
}

impl SmtpSink {
    fn new() -> Self {
        ensure_aiosmtpd();
        Self {
            port: tiketi_testkit::ports::free_port().unwrap(),
            dir: std::env::temp_dir().join(format!("tiketi-mail-{}", Uuid::new_v4().simple())),
            child: None,
            tls: None,
        }
    }

    /// A server that speaks only TLS (`starttls`: STARTTLS required; `implicit`: smtps).
    fn with_tls(mode: &'static str, pki: &tiketi_testkit::tls::Pki) -> Self {
        let mut sink = Self::new();
        sink.tls = Some((mode, pki.server_cert(), pki.server_key()));
        sink
    }

    fn url(&self) -> String {
        match &self.tls {
            None => format!("smtp://127.0.0.1:{}", self.port),
            Some(("implicit", ..)) => format!("smtps://127.0.0.1:{}", self.port),
            Some(_) => format!("smtp://127.0.0.1:{}?tls=required", self.port),
        }
    }

    fn start(&mut self) {
        assert!(self.child.is_none(), "already running");
        let mut command = Command::new("python3");
        command.arg(SINK).arg(self.port.to_string()).arg(&self.dir);
        if let Some((mode, cert, key)) = &self.tls {
            command.arg(mode).arg(cert).arg(key);
        }
        let mut child = command
            .stdout(Stdio::piped())
            .spawn()
            .expect("the SMTP sink starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP sink listens");
        self.child = Some(child);
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn received(&self) -> Vec<Received> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.dir.join(sub)) else {
                continue;
            };
            for entry in entries {
                let raw = std::fs::read(entry.unwrap().path()).unwrap();
                out.push(parse(&raw));
            }
        }
        out
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn parse(raw: &[u8]) -> Received {
    let mail = mailparse::parse_mail(raw).unwrap();
    let header = |name: &str| {
        use mailparse::MailHeaderMap;
        mail.headers.get_first_value(name).unwrap_or_default()
    };
    let mut text = String::new();
    let mut html = None;
    let mut calendar = None;
    let mut pdf = None;
    let mut parts = vec![&mail];
    while let Some(part) = parts.pop() {
        match part.ctype.mimetype.as_str() {
            "text/plain" => text = part.get_body().unwrap(),
            "text/html" => html = Some(part.get_body().unwrap()),
            "text/calendar" => calendar = Some(part.get_body().unwrap()),
            "application/pdf" => {
                let name = part
                    .get_content_disposition()
                    .params
                    .get("filename")
                    .cloned()
                    .unwrap_or_default();
                pdf = Some((name, part.get_body_raw().unwrap()));
            }
            _ => parts.extend(part.subparts.iter()),
        }
    }
    Received {
        rcpt: header("X-RcptTo"),
        subject: header("Subject"),
        message_id: header("Message-ID"),
        text,
        html,
        calendar,
        pdf,
    }
}

/// The text of a PDF as poppler's `pdftotext` reads it.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("tiketi-mail-pdf-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("tickets.pdf");
    std::fs::write(&input, pdf).unwrap();
    let output = Command::new("pdftotext")
        .arg(&input)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

fn sender(pool: &PgPool, sink: &SmtpSink) -> Sender {
    Sender::new(pool.clone(), mail_config(Some(sink.url()))).unwrap()
}

async fn stack(pool: &PgPool) -> Stack {
    Stack::start(
        pool.clone(),
        Options {
            sweeper: false,
            ..Default::default()
        },
    )
    .await
}

async fn email_of(pool: &PgPool, fan: &Fan) -> String {
    sqlx::query_scalar!("SELECT email FROM users WHERE id = $1", fan.id)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Each fan holds seat `i` and, if `pay`, pays for it; their reservation ids.
async fn book(stack: &Stack, fans: &[Fan], event: Uuid, seats: &[Uuid], pay: bool) -> Vec<String> {
    let mut ids = Vec::new();
    for (fan, seat) in fans.iter().zip(seats) {
        let (s, b) = body(stack.reserve(0, fan, event, &[*seat]).await).await;
        assert_eq!(s, 201, "{b}");
        let id = b["reservation"]["id"].as_str().unwrap().to_string();
        if pay {
            let (s, b) = body(stack.pay(0, fan, &id, &format!("pay-{id}")).await).await;
            assert_eq!(s, 200, "{b}");
        }
        ids.push(id);
    }
    ids
}

/// The outbox rows by kind and status.
async fn rows(pool: &PgPool) -> HashMap<(MailKind, MailStatus), i64> {
    sqlx::query!(
        r#"SELECT kind AS "kind: MailKind", status AS "status: MailStatus", count(*) AS "n!"
           FROM mail_outbox GROUP BY 1, 2"#
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .map(|r| ((r.kind, r.status), r.n))
    .collect()
}

/// Runs passes until nothing is due and nothing is pending.
async fn drain(sender: &Sender, pool: &PgPool, within: Duration) {
    eventually("the outbox drained", within, || async {
        sender.send_due().await.unwrap();
        match outbox::depth(pool).await.unwrap().unsent {
            0 => Ok(()),
            unsent => Err(format!("{unsent} mails still unsent")),
        }
    })
    .await;
}

fn assert_distinct_ids(mails: &[Received]) {
    let ids: HashSet<&str> = mails.iter().map(|m| m.message_id.as_str()).collect();
    assert_eq!(ids.len(), mails.len(), "a Message-ID arrived twice");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_paid_booking_is_confirmed_once_in_the_fans_language(pool: PgPool) {
    let stack = stack(&pool).await;
    let (event, seats) = stack
        .seated_event(sections(&[("VIP", 1, 4, 121_000)]))
        .await;
    // The event is in New York: its time is written as New York's wall clock.
    sqlx::query!(
        "UPDATE events SET timezone = 'America/New_York', starts_at = '2027-01-15T00:30:00Z' WHERE id = $1",
        event
    )
    .execute(&pool)
    .await
    .unwrap();
    let fans = stack.fans(2).await;
    // The first fan reads English (chosen in their settings); the second keeps Korean.
    let app = stack.app(0);
    let res = app
        .client
        .patch(app.url("/api/auth/me"))
        .bearer_auth(&fans[0].token)
        .json(&json!({"locale": "en"}))
        .send()
        .await
        .unwrap();
    let (s, me) = body(res).await;
    assert_eq!(s, 200, "{me}");
    assert_eq!(me["user"]["locale"], "en");
    let ids = book(&stack, &fans, event, &seats[..2], true).await;
    // A retried payment (same key) and a second pass change nothing.
    let (s, _) = body(
        stack
            .pay(0, &fans[0], &ids[0], &format!("pay-{}", ids[0]))
            .await,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        rows(&pool).await[&(MailKind::BookingConfirmed, MailStatus::Pending)],
        2
    );

    // What a fan typed as their name is text in the HTML part, never markup.
    sqlx::query!(
        "UPDATE users SET name = 'Kim <b>Bold</b> & Co' WHERE id = $1",
        fans[1].id
    )
    .execute(&pool)
    .await
    .unwrap();

    let mut sink = SmtpSink::new();
    sink.start();
    let sender = sender(&pool, &sink);
    let pass = sender.send_due().await.unwrap();
    assert_eq!(pass.sent, 2, "{pass:?}");
    assert_eq!(sender.send_due().await.unwrap().total(), 0);
    let mails = sink.received();
    assert_eq!(mails.len(), 2, "{mails:#?}");
    assert_distinct_ids(&mails);

    let email = email_of(&pool, &fans[0]).await;
    let english = mails
        .iter()
        .find(|m| m.rcpt.contains(&email))
        .expect("the first fan's mail");
    assert_eq!(english.subject, "[Tiketi] Booking confirmed: Test show");
    for wanted in [
        "your booking is confirmed",
        "VIP, row A, seat 1: KRW 121,000",
        "Total: KRW 121,000",
        "Paid: KRW 121,000 with Kakao Pay",
        // 00:30 UTC on the 15th is 19:30 on the 14th in New York.
        "14 Jan 2027, 19:30 (America/New_York, UTC-05:00)",
    ] {
        assert!(
            english.text.contains(wanted),
            "{wanted:?} in {}",
            english.text
        );
    }
    let html = english.html.as_deref().expect("an HTML alternative");
    assert!(html.contains("Total: KRW 121,000"), "{html}");
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    let ics = english.calendar.as_deref().expect("an .ics attachment");
    assert!(ics.contains("BEGIN:VEVENT"), "{ics}");
    assert!(ics.contains("DTSTART:20270115T003000Z"), "{ics}");
    assert!(ics.contains(&format!("UID:{event}@tiketi")), "{ics}");
    // The tickets travel with it as a PDF: the fan's seat, their booking's code.
    let code: String = sqlx::query_scalar!(
        "SELECT code FROM reservations WHERE id = $1",
        Uuid::parse_str(&ids[0]).unwrap()
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let (name, pdf) = english.pdf.as_ref().expect("a PDF attachment");
    assert_eq!(name, &format!("tiketi-{code}.pdf"));
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(pdf);
    for wanted in ["Test show", "Section VIP", "Row A", "Seat 1", code.as_str()] {
        assert!(text.contains(wanted), "{wanted:?} in {text}");
    }
    assert!(!text.contains("Seat 2"), "only the fan's own seat: {text}");

    let email = email_of(&pool, &fans[1]).await;
    let korean = mails
        .iter()
        .find(|m| m.rcpt.contains(&email))
        .expect("the second fan's mail");
    assert_eq!(korean.subject, "[Tiketi] 예매 확정: Test show");
    let text = pdf_text(&korean.pdf.as_ref().expect("a PDF attachment").1);
    assert!(text.contains("Seat 2"), "{text}");
    assert!(
        korean.text.contains("Kim <b>Bold</b> & Co님"),
        "{}",
        korean.text
    );
    let html = korean.html.as_deref().expect("an HTML alternative");
    assert!(
        html.contains("Kim &lt;b&gt;Bold&lt;/b&gt; &amp; Co님"),
        "{html}"
    );
    assert!(!html.contains("<b>"), "{html}");
    assert!(html.contains("VIP A열 2번: 121,000원"), "{html}");
    assert!(
        text.contains("Kim <b>Bold</b> & Co"),
        "the PDF's holder: {text}"
    );
    for wanted in [
        "예매가 확정되었습니다",
        "VIP A열 2번: 121,000원",
        "결제: 카카오페이 121,000원",
        "2027년 1월 14일 19:30 (America/New_York, UTC-05:00)",
    ] {
        assert!(
            korean.text.contains(wanted),
            "{wanted:?} in {}",
            korean.text
        );
    }
    // The Message-ID is the outbox row's, so a resend would be recognisably the same mail.
    let row_ids: Vec<Uuid> = sqlx::query_scalar!("SELECT id FROM mail_outbox")
        .fetch_all(&pool)
        .await
        .unwrap();
    for m in &mails {
        assert!(
            row_ids
                .iter()
                .any(|id| m.message_id == format!("<{}@tiketi.test>", id.simple())),
            "{}",
            m.message_id
        );
    }
    assert_eq!(
        rows(&pool).await[&(MailKind::BookingConfirmed, MailStatus::Sent)],
        2
    );
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn cancelling_a_paid_booking_sends_the_refund_notice(pool: PgPool) {
    let stack = stack(&pool).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 90_000)])).await;
    let fans = stack.fans(2).await;
    let paid = book(&stack, &fans[..1], event, &seats[..1], true).await;
    let held = book(&stack, &fans[1..], event, &seats[1..2], false).await;
    let mut sink = SmtpSink::new();
    sink.start();
    let sender = sender(&pool, &sink);
    drain(&sender, &pool, Duration::from_secs(10)).await;
    assert_eq!(sink.received().len(), 1, "the confirmation");

    assert_eq!(body(stack.cancel(0, &fans[0], &paid[0]).await).await.0, 200);
    // A hold given up before paying is no booking: nothing to write about.
    assert_eq!(body(stack.cancel(0, &fans[1], &held[0]).await).await.0, 200);
    drain(&sender, &pool, Duration::from_secs(10)).await;
    let mails = sink.received();
    assert_eq!(mails.len(), 2, "{mails:#?}");
    let notice = mails
        .iter()
        .find(|m| m.subject.starts_with("[Tiketi] 예매 취소"))
        .expect("the cancellation");
    assert!(notice.rcpt.contains(&email_of(&pool, &fans[0]).await));
    assert!(
        notice
            .text
            .contains("결제하신 90,000원은 카카오페이(으)로 환불되었습니다"),
        "{}",
        notice.text
    );
    assert!(notice.calendar.is_none());
    let counts = rows(&pool).await;
    assert_eq!(
        counts[&(MailKind::ReservationCancelled, MailStatus::Sent)],
        1
    );
    assert_eq!(counts.values().sum::<i64>(), 2, "{counts:?}");
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn an_event_cancelled_tells_every_affected_fan(pool: PgPool) {
    let stack = stack(&pool).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 2, 5, 50_000)])).await;
    let (other, other_seats) = stack.seated_event(sections(&[("R", 1, 2, 50_000)])).await;
    let fans = stack.fans(7).await;
    let paid = book(&stack, &fans[..4], event, &seats[..4], true).await;
    let held = book(&stack, &fans[4..6], event, &seats[4..6], false).await;
    // A fan of another event hears nothing.
    book(&stack, &fans[6..], other, &other_seats[..1], true).await;
    let admin: Uuid = sqlx::query_scalar!(
        "INSERT INTO users (email, name, password_hash, role) VALUES ('boss@example.com', 'Boss', 'x', 'admin') RETURNING id"
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let input = CancelInput {
        reason: Some("the venue flooded".into()),
    };
    let cancelled = cancel_event(&pool, admin, event, &input).await.unwrap();
    assert_eq!(cancelled.cancelled_reservations, 6);
    // Cancelling again writes nothing more.
    cancel_event(&pool, admin, event, &input).await.unwrap();

    let mut sink = SmtpSink::new();
    sink.start();
    let sender = sender(&pool, &sink);
    drain(&sender, &pool, Duration::from_secs(10)).await;
    let mails = sink.received();
    assert_distinct_ids(&mails);
    let notices: Vec<&Received> = mails
        .iter()
        .filter(|m| m.subject == "[Tiketi] 공연 취소 안내: Test show")
        .collect();
    assert_eq!(notices.len(), 6, "{mails:#?}");
    for (i, fan) in fans[..6].iter().enumerate() {
        let email = email_of(&pool, fan).await;
        let mine: Vec<_> = notices.iter().filter(|m| m.rcpt.contains(&email)).collect();
        assert_eq!(mine.len(), 1, "fan {i}");
        assert!(
            mine[0].text.contains("취소 사유: the venue flooded"),
            "{}",
            mine[0].text
        );
        let refund = mine[0]
            .text
            .contains("50,000원은 카카오페이(으)로 환불되었습니다");
        assert_eq!(refund, i < 4, "fan {i}: {}", mine[0].text);
    }
    // The confirmations of the cancelled bookings were still queued: they no longer apply.
    let counts = rows(&pool).await;
    assert_eq!(counts[&(MailKind::EventCancelled, MailStatus::Sent)], 6);
    assert_eq!(
        counts[&(MailKind::BookingConfirmed, MailStatus::Skipped)],
        4
    );
    assert_eq!(counts[&(MailKind::BookingConfirmed, MailStatus::Sent)], 1);
    assert_eq!(mails.len(), 7);
    assert_eq!((paid.len(), held.len()), (4, 2));
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_hold_about_to_end_is_reminded_once(pool: PgPool) {
    let stack = stack(&pool).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 70_000)])).await;
    let fans = stack.fans(3).await;
    let ids = book(&stack, &fans, event, &seats[..3], false).await;
    // Holds last 300 s: a 400 s window is longer than they are (a hold that was always
    // this close to its end gets no reminder); 200 s before the end is not yet.
    assert_eq!(
        outbox::enqueue_hold_reminders(&pool, Duration::from_secs(400))
            .await
            .unwrap(),
        0
    );
    let before = Duration::from_secs(200);
    assert_eq!(
        outbox::enqueue_hold_reminders(&pool, before).await.unwrap(),
        0
    );
    // 150 s later (moved in the database rather than waited for) all three are due.
    sqlx::query!(
        "UPDATE reservations SET created_at = created_at - interval '150 seconds',
                                 expires_at = expires_at - interval '150 seconds'"
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(
        outbox::enqueue_hold_reminders(&pool, before).await.unwrap(),
        3
    );
    assert_eq!(
        outbox::enqueue_hold_reminders(&pool, before).await.unwrap(),
        0
    );
    // The third fan pays before the reminder goes out: theirs no longer applies.
    let (s, _) = body(stack.pay(0, &fans[2], &ids[2], "pay-now").await).await;
    assert_eq!(s, 200);

    let mut sink = SmtpSink::new();
    sink.start();
    let sender = sender(&pool, &sink);
    drain(&sender, &pool, Duration::from_secs(10)).await;
    assert_eq!(
        outbox::enqueue_hold_reminders(&pool, before).await.unwrap(),
        0
    );
    drain(&sender, &pool, Duration::from_secs(10)).await;
    let mails = sink.received();
    let reminders: Vec<_> = mails
        .iter()
        .filter(|m| m.subject.starts_with("[Tiketi] 선점한 좌석이 곧 풀립니다"))
        .collect();
    assert_eq!(reminders.len(), 2, "{mails:#?}");
    assert!(
        reminders[0].text.contains("결제 시한이"),
        "{}",
        reminders[0].text
    );
    let counts = rows(&pool).await;
    assert_eq!(counts[&(MailKind::HoldExpiring, MailStatus::Sent)], 2);
    assert_eq!(counts[&(MailKind::HoldExpiring, MailStatus::Skipped)], 1);
    assert_eq!(counts[&(MailKind::BookingConfirmed, MailStatus::Sent)], 1);
    stack.stop().await;
}

/// Attempts per row and how long after the server came back the outbox was empty.
#[sqlx::test(migrations = "../migrations")]
async fn smtp_down_for_a_while_then_everything_is_delivered_once(pool: PgPool) {
    // TEST_MAIL_OUTAGE_SECONDS=60 TEST_MAIL_RETRY_BASE_MS=5000 measures a one-minute
    // outage with the production backoff.
    let outage: u64 = tiketi_testkit::env_or("TEST_MAIL_OUTAGE_SECONDS", "4")
        .parse()
        .unwrap();
    let base: u64 = tiketi_testkit::env_or("TEST_MAIL_RETRY_BASE_MS", "200")
        .parse()
        .unwrap();
    let stack = stack(&pool).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 2, 10, 10_000)])).await;
    let fans = stack.fans(12).await;
    book(&stack, &fans[..10], event, &seats[..10], true).await;
    // One fan's mailbox does not exist: a permanent refusal, not retried.
    sqlx::query!(
        "UPDATE users SET email = 'bounce-' || email WHERE id = $1",
        fans[10].id
    )
    .execute(&pool)
    .await
    .unwrap();
    book(&stack, &fans[10..11], event, &seats[10..11], true).await;

    let mut sink = SmtpSink::new();
    let config = MailConfig {
        retry_base: Duration::from_millis(base),
        retry_max: Duration::from_secs(3600),
        ..mail_config(Some(sink.url()))
    };
    let shutdown = tokio_util::sync::CancellationToken::new();
    let running = tokio::spawn(
        Sender::new(pool.clone(), config.clone())
            .unwrap()
            .run(shutdown.clone()),
    );
    // Nobody listens: every attempt fails to connect.
    // Pacing: the outage lasts `outage` seconds; the attempts made meanwhile are the point.
    let down = Instant::now();
    tokio::time::sleep(Duration::from_secs(outage)).await;
    let attempts: Vec<i32> = sqlx::query_scalar!(
        "SELECT attempts FROM mail_outbox WHERE status IN ('pending', 'sending') ORDER BY attempts"
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        attempts.len(),
        11,
        "nothing is lost or given up while the server is down"
    );
    // Doubling delays from `base`, at least half of each: attempts grow with the log of the
    // outage, not linearly (a fixed 1 s tick would have made `outage` attempts).
    let doubling_bound = |secs: f64| (secs * 2000.0 / base as f64 + 1.0).log2().ceil() as i32 + 2;
    let bound = doubling_bound(down.elapsed().as_secs_f64());
    assert!(
        attempts.iter().all(|a| *a >= 1 && *a <= bound),
        "{attempts:?} > {bound}"
    );
    let errors: Vec<Option<String>> =
        sqlx::query_scalar!("SELECT last_error FROM mail_outbox LIMIT 1")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(errors[0].is_some());

    // The server comes back: everything goes out, once.
    sink.start();
    let up = Instant::now();
    let outage_len = up.duration_since(down);
    eventually(
        "delivered after the outage",
        Duration::from_secs(outage * 2 + 30),
        || async {
            match outbox::depth(&pool).await.unwrap().unsent {
                0 => Ok(()),
                n => Err(format!("{n} still not delivered")),
            }
        },
    )
    .await;
    let drained = up.elapsed();
    let mails = sink.received();
    assert_eq!(mails.len(), 10, "{mails:#?}");
    assert_distinct_ids(&mails);
    let counts = rows(&pool).await;
    assert_eq!(counts[&(MailKind::BookingConfirmed, MailStatus::Sent)], 10);
    assert_eq!(counts[&(MailKind::BookingConfirmed, MailStatus::Failed)], 1);
    let bounced: (i32, Option<String>) =
        sqlx::query!("SELECT attempts, last_error FROM mail_outbox WHERE status = 'failed'")
            .fetch_one(&pool)
            .await
            .map(|r| (r.attempts, r.last_error))
            .unwrap();
    assert!(bounced.1.unwrap_or_default().contains("550"));
    let max_attempts = attempts.iter().max().unwrap();
    assert!(bounced.0 <= max_attempts + 2, "the refusal was not retried");

    // Stopped again, then back: what was queued meanwhile is delivered once too.
    sink.stop();
    book(&stack, &fans[11..], event, &seats[11..12], true).await;
    // Pacing: a few retry periods pass with the server down.
    tokio::time::sleep(Duration::from_millis(base * 4)).await;
    assert_eq!(outbox::depth(&pool).await.unwrap().unsent, 1);
    sink.start();
    eventually(
        "the mail queued while down is delivered",
        Duration::from_secs(30) + Duration::from_millis(base * 8),
        || async {
            match outbox::depth(&pool).await.unwrap().unsent {
                0 => Ok(()),
                n => Err(n),
            }
        },
    )
    .await;
    let mails = sink.received();
    assert_eq!(mails.len(), 11);
    assert_distinct_ids(&mails);
    println!(
        "SMTP down {:.1} s (retry base {base} ms): attempts per row while down {attempts:?}; \
         all 10 delivered {:.1} s after it came back; the 550 refusal failed after {} attempt(s)",
        outage_len.as_secs_f64(),
        drained.as_secs_f64(),
        bounced.0
    );
    shutdown.cancel();
    running.await.unwrap();
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn two_senders_racing_never_send_a_row_twice(pool: PgPool) {
    let stack = stack(&pool).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 4, 10, 10_000)])).await;
    let fans = stack.fans(40).await;
    book(&stack, &fans, event, &seats[..40], true).await;
    let mut sink = SmtpSink::new();
    sink.start();
    // Small batches so that both senders keep coming back for more at the same time.
    let config = MailConfig {
        batch: 3,
        ..mail_config(Some(sink.url()))
    };
    let a = Sender::new(pool.clone(), config.clone()).unwrap();
    let b = Sender::new(pool.clone(), config).unwrap();
    let race = |s: Sender| {
        let pool = pool.clone();
        tokio::spawn(async move {
            let mut sent = 0;
            while outbox::depth(&pool).await.unwrap().unsent > 0 {
                sent += s.send_due().await.unwrap().sent;
            }
            sent
        })
    };
    let (sa, sb) = (race(a), race(b));
    let (sa, sb) = (sa.await.unwrap(), sb.await.unwrap());
    assert_eq!(sa + sb, 40, "{sa} + {sb}");
    assert!(sa > 0 && sb > 0, "both senders took part: {sa} + {sb}");
    let mails = sink.received();
    assert_eq!(mails.len(), 40);
    assert_distinct_ids(&mails);
    let attempts: Vec<i32> = sqlx::query_scalar!("SELECT attempts FROM mail_outbox")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(attempts.iter().all(|a| *a == 1), "{attempts:?}");
    stack.stop().await;
}

/// A sender that died after claiming: its rows come back once the lease runs out, and the
/// late outcome of the sender that lost them is refused.
#[sqlx::test(migrations = "../migrations")]
async fn a_lapsed_claim_is_taken_over_and_its_late_outcome_ignored(pool: PgPool) {
    let stack = stack(&pool).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 2, 10_000)])).await;
    let fans = stack.fans(1).await;
    book(&stack, &fans, event, &seats[..1], true).await;
    let lost = outbox::claim(&pool, 10, Duration::from_secs(1), Uuid::new_v4())
        .await
        .unwrap();
    assert_eq!(lost.len(), 1);
    // Leased: nobody else takes it.
    assert!(
        outbox::claim(&pool, 10, Duration::from_secs(60), Uuid::new_v4())
            .await
            .unwrap()
            .is_empty()
    );
    // Pacing: the 1 s lease of the lost claim runs out.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let mut sink = SmtpSink::new();
    sink.start();
    let sender = sender(&pool, &sink);
    assert_eq!(sender.send_due().await.unwrap().sent, 1);
    assert!(!outbox::mark_sent(&pool, &lost[0]).await.unwrap());
    assert!(!outbox::mark_retry(&pool, &lost[0], Duration::ZERO, "late")
        .await
        .unwrap());
    let row = sqlx::query!(r#"SELECT status AS "status: MailStatus", attempts FROM mail_outbox"#)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!((row.status, row.attempts), (MailStatus::Sent, 2));
    assert_eq!(sink.received().len(), 1);
    stack.stop().await;
}

/// `TLS_CA_FILE` is one per process: the tests that set it take turns when they run as
/// threads of one process (`cargo test`); nextest gives each its own.
static CA_ENV: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[sqlx::test(migrations = "../migrations")]
async fn smtp_over_tls_trusts_the_private_ca_named_by_tls_ca_file(pool: PgPool) {
    let _env = CA_ENV.lock().await;
    let stack = stack(&pool).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 50_000)])).await;
    let fans = stack.fans(2).await;
    let pki = tiketi_testkit::tls::Pki::generate().unwrap();

    // A relay whose certificate only the private CA vouches for is refused without it:
    // the mail waits for a retry, nothing is delivered in the clear.
    std::env::remove_var(tiketi_core::infra::tls::CA_FILE_VAR);
    book(&stack, &fans[..1], event, &seats[..1], true).await;
    let mut untrusted = SmtpSink::with_tls("implicit", &pki);
    untrusted.start();
    let pass = sender(&pool, &untrusted).send_due().await.unwrap();
    assert_eq!((pass.sent, pass.retried), (0, 1), "{pass:?}");
    assert!(untrusted.received().is_empty());
    let error: Option<String> = sqlx::query_scalar!("SELECT last_error FROM mail_outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(
        error
            .as_deref()
            .is_some_and(|e| e.to_lowercase().contains("certificate")),
        "{error:?}"
    );
    untrusted.stop();

    // With TLS_CA_FILE: STARTTLS (required) and TLS from the first byte both deliver.
    std::env::set_var(tiketi_core::infra::tls::CA_FILE_VAR, pki.ca());
    // The first fan's mail is the one refused above, now retried.
    for (mode, fan) in [("implicit", 0), ("starttls", 1)] {
        if fan > 0 {
            book(&stack, &fans[fan..=fan], event, &seats[fan..=fan], true).await;
        }
        let mut sink = SmtpSink::with_tls(mode, &pki);
        sink.start();
        drain(&sender(&pool, &sink), &pool, Duration::from_secs(30)).await;
        let mails = sink.received();
        assert_eq!(mails.len(), 1, "{mode}: {mails:#?}");
        assert!(mails[0].rcpt.contains(&email_of(&pool, &fans[fan]).await));
        assert!(
            mails[0].pdf.is_some(),
            "{mode}: the tickets travel over TLS too"
        );
    }
    std::env::remove_var(tiketi_core::infra::tls::CA_FILE_VAR);
    stack.stop().await;
}
