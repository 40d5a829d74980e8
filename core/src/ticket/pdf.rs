//! The printable tickets of a reservation: one A6 page per ticket with what a steward and the
//! fan need to read (event, venue, local start time, seat or ticket type, holder, reservation
//! code) and the signed code as a QR code, exactly the string a gate scans.
//!
//! The text is set in NanumSquare (vendored under `core/assets/fonts`, SIL OFL) because
//! Korean titles and names must render on any machine, whatever fonts it has. krilla embeds
//! only the glyphs a document uses, so a ticket stays a few tens of kB although the font
//! holds every Hangul syllable. The QR modules are drawn as vector rectangles: sharp at any
//! print size and nothing to decode or compress.
//!
//! Pure: tickets in, bytes out. The same input gives the same bytes.

use chrono::{DateTime, Utc};
use krilla::{
    color::rgb,
    geom::{PathBuilder, Point, Rect},
    metadata::Metadata,
    num::NormalizedF32,
    page::PageSettings,
    paint::Fill,
    surface::Surface,
    text::{Font, TextDirection},
    Document,
};
use qrcode::{EcLevel, QrCode};

use super::{IssuedTicket, TicketError};
use crate::event::time::EventZone;

static FONT: &[u8] = include_bytes!("../../assets/fonts/NanumSquareR.ttf");

/// A6 portrait, in points.
const PAGE_WIDTH: f32 = 297.6;
const PAGE_HEIGHT: f32 = 419.5;
const MARGIN: f32 = 22.0;
/// The QR's side including its quiet zone; about 5 cm, comfortably read by gate cameras.
const QR_SIDE: f32 = 150.0;
/// Modules of white around the code, as the QR specification asks.
const QUIET_MODULES: usize = 4;

/// What is printed for one reservation: its tickets (revoked ones are left out by the
/// caller) with the reservation's code and the holder's full name.
#[derive(Debug, Clone)]
pub struct TicketSheet {
    pub reservation_code: String,
    pub holder_name: String,
    pub tickets: Vec<IssuedTicket>,
}

/// The PDF of `sheet`: one page per ticket.
pub fn render(sheet: &TicketSheet) -> Result<Vec<u8>, TicketError> {
    let font = Font::new(FONT.into(), 0)
        .ok_or_else(|| TicketError::Pdf("the vendored font could not be read".into()))?;
    let mut document = Document::new();
    let title = sheet
        .tickets
        .first()
        .map(|t| format!("Tiketi {} · {}", sheet.reservation_code, t.event_title))
        .unwrap_or_else(|| format!("Tiketi {}", sheet.reservation_code));
    document.set_metadata(Metadata::new().title(title).creator("Tiketi".into()));
    let count = sheet.tickets.len();
    for (index, ticket) in sheet.tickets.iter().enumerate() {
        let qr = QrCode::with_error_correction_level(ticket.code.as_bytes(), EcLevel::M)
            .map_err(|e| TicketError::Pdf(format!("the ticket code does not fit a QR: {e}")))?;
        let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).expect("a positive size");
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        draw_ticket(&mut surface, &font, sheet, ticket, (index + 1, count), &qr);
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| TicketError::Pdf(format!("{e:?}")))
}

fn draw_ticket(
    surface: &mut Surface<'_>,
    font: &Font,
    sheet: &TicketSheet,
    ticket: &IssuedTicket,
    (number, count): (usize, usize),
    qr: &QrCode,
) {
    let width = PAGE_WIDTH - 2.0 * MARGIN;
    let mut pen = Pen {
        surface,
        font,
        y: MARGIN,
    };
    pen.set_colour(GREY);
    pen.line(
        &format!("TIKETI · 입장권 Ticket {number}/{count}"),
        8.0,
        4.0,
    );
    pen.set_colour(INK);
    for line in wrap(&ticket.event_title, 17.0, width).into_iter().take(3) {
        pen.line(&line, 17.0, 3.0);
    }
    pen.y += 3.0;
    for line in wrap(&ticket.venue, 10.0, width).into_iter().take(2) {
        pen.line(&line, 10.0, 2.0);
    }
    pen.line(&local_start(ticket.starts_at, &ticket.timezone), 10.0, 8.0);
    let place = match (&ticket.seat, &ticket.ticket_type) {
        (Some(seat), _) => format!(
            "구역 Section {} · 열 Row {} · 좌석 Seat {}",
            seat.section, seat.row, seat.number
        ),
        (None, Some(kind)) => format!("권종 Ticket type: {kind}"),
        (None, None) => String::new(),
    };
    for line in wrap(&place, 12.0, width).into_iter().take(2) {
        pen.line(&line, 12.0, 3.0);
    }
    pen.y += 3.0;
    for line in wrap(&format!("예매자 Holder: {}", sheet.holder_name), 9.5, width)
        .into_iter()
        .take(2)
    {
        pen.line(&line, 9.5, 2.0);
    }
    pen.line(
        &format!("예매번호 Reservation: {}", sheet.reservation_code),
        9.5,
        0.0,
    );
    let top = pen.y.max(PAGE_HEIGHT - MARGIN - QR_SIDE - 14.0);
    draw_qr(
        pen.surface,
        qr,
        Point::from_xy((PAGE_WIDTH - QR_SIDE) / 2.0, top),
    );
    pen.y = top + QR_SIDE + 3.0;
    pen.set_colour(GREY);
    pen.line(
        "입장 시 이 QR 코드를 보여 주세요 · Show this code at the gate",
        7.0,
        0.0,
    );
}

/// Text colours as RGB.
const INK: (u8, u8, u8) = (17, 17, 17);
const GREY: (u8, u8, u8) = (110, 110, 110);

/// Writes lines of text down the page.
struct Pen<'a, 'b> {
    surface: &'a mut Surface<'b>,
    font: &'a Font,
    /// Top of the next line.
    y: f32,
}

impl Pen<'_, '_> {
    fn set_colour(&mut self, (r, g, b): (u8, u8, u8)) {
        self.surface.set_fill(Some(Fill {
            paint: rgb::Color::new(r, g, b).into(),
            opacity: NormalizedF32::ONE,
            rule: Default::default(),
        }));
    }

    fn line(&mut self, text: &str, size: f32, gap_after: f32) {
        // The baseline sits about 0.8 em below the top of the line.
        let baseline = self.y + size * 0.8;
        self.surface.draw_text(
            Point::from_xy(MARGIN, baseline),
            self.font.clone(),
            size,
            text,
            false,
            TextDirection::Auto,
        );
        self.y += size * 1.25 + gap_after;
    }
}

/// `2026-12-24 19:00 (Asia/Seoul, UTC+09:00)`: the time the fan's ticket says the doors
/// matter, on the venue's clock, whatever zone the reader is in.
fn local_start(starts_at: DateTime<Utc>, timezone: &str) -> String {
    let zone = EventZone::from_db(timezone);
    let local = starts_at.with_timezone(&zone.tz());
    format!(
        "{} ({}, UTC{})",
        local.format("%Y-%m-%d %H:%M"),
        zone.name(),
        local.format("%:z")
    )
}

/// Breaks `text` into lines that fit `width` at `size`. Widths are estimated (Hangul and
/// other wide characters one em, the rest about half of one): the font's real advances
/// are within that, and a line that runs a little short only wraps early.
fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let em = |c: char| if c.len_utf8() >= 3 { 1.0 } else { 0.56 };
    let max_ems = width / size;
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut ems = 0.0;
    for word in text.split_whitespace() {
        let word_ems: f32 = word.chars().map(em).sum();
        let space = if line.is_empty() { 0.0 } else { 0.3 };
        if !line.is_empty() && ems + space + word_ems > max_ems {
            lines.push(std::mem::take(&mut line));
            ems = 0.0;
        }
        if !line.is_empty() {
            line.push(' ');
            ems += 0.3;
        }
        // A single word longer than a line is cut by character.
        for c in word.chars() {
            if ems + em(c) > max_ems && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                ems = 0.0;
            }
            line.push(c);
            ems += em(c);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The QR with its quiet zone, dark modules as one path of rectangles (runs of a row
/// merged, so a code of a few hundred characters is a few hundred rectangles).
fn draw_qr(surface: &mut Surface<'_>, qr: &QrCode, origin: Point) {
    let modules = qr.width();
    let side = QR_SIDE / (modules + 2 * QUIET_MODULES) as f32;
    let colours = qr.to_colors();
    let mut path = PathBuilder::new();
    for y in 0..modules {
        let row = &colours[y * modules..(y + 1) * modules];
        let mut x = 0;
        while x < modules {
            if row[x] != qrcode::Color::Dark {
                x += 1;
                continue;
            }
            let start = x;
            while x < modules && row[x] == qrcode::Color::Dark {
                x += 1;
            }
            let rect = Rect::from_xywh(
                origin.x + (start + QUIET_MODULES) as f32 * side,
                origin.y + (y + QUIET_MODULES) as f32 * side,
                (x - start) as f32 * side,
                side,
            )
            .expect("a module has a positive size");
            path.push_rect(rect);
        }
    }
    if let Some(path) = path.finish() {
        surface.set_fill(Some(Fill {
            paint: rgb::Color::new(0, 0, 0).into(),
            opacity: NormalizedF32::ONE,
            rule: Default::default(),
        }));
        surface.draw_path(&path);
    }
}

#[cfg(test)]
mod tests {
    use std::{path::Path, process::Command};

    use chrono::TimeZone;
    use uuid::Uuid;

    use super::*;
    use crate::ticket::{code, SeatLabel, TicketKeys};

    fn ticket(keys: &TicketKeys, seat: Option<SeatLabel>, kind: Option<&str>) -> IssuedTicket {
        let mut t = IssuedTicket {
            id: Uuid::new_v4(),
            event_id: Uuid::new_v4(),
            reservation_id: Uuid::new_v4(),
            event_title: "아이유 콘서트 2026".into(),
            venue: "서울월드컵경기장".into(),
            // 10:00 UTC is 19:00 in Seoul.
            starts_at: Utc.with_ymd_and_hms(2026, 12, 24, 10, 0, 0).unwrap(),
            timezone: "Asia/Seoul".into(),
            seat,
            ticket_type: kind.map(Into::into),
            holder_initials: "홍".into(),
            issued_at: Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap(),
            code: String::new(),
            revoked: false,
            admitted_at: None,
        };
        t.code = code::sign(keys, &t.claims());
        t
    }

    fn sheet() -> TicketSheet {
        let keys = TicketKeys::new("pdf-test-master-secret-0123");
        TicketSheet {
            reservation_code: "TK-7Q2X9M".into(),
            holder_name: "홍길동".into(),
            tickets: vec![
                ticket(
                    &keys,
                    Some(SeatLabel {
                        section: "A".into(),
                        row: "3".into(),
                        number: 12,
                    }),
                    None,
                ),
                ticket(&keys, None, Some("스탠딩")),
            ],
        }
    }

    /// A scratch directory for poppler's files, removed when dropped.
    struct Scratch(std::path::PathBuf);

    impl Scratch {
        fn new() -> Self {
            let dir = std::env::temp_dir().join(format!("tiketi-pdf-{}", Uuid::new_v4()));
            std::fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn run(program: &str, args: &[&std::ffi::OsStr]) {
        let status = Command::new(program)
            .args(args)
            .status()
            .unwrap_or_else(|e| panic!("{program} (poppler-utils) must be installed: {e}"));
        assert!(status.success(), "{program} failed");
    }

    /// The text of each page, as `pdftotext` reads it.
    fn page_texts(pdf: &[u8], dir: &Path) -> Vec<String> {
        let input = dir.join("tickets.pdf");
        std::fs::write(&input, pdf).unwrap();
        let output = dir.join("tickets.txt");
        run("pdftotext", &[input.as_os_str(), output.as_os_str()]);
        let text = std::fs::read_to_string(output).unwrap();
        text.split('\u{c}')
            .filter(|p| !p.trim().is_empty())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn each_ticket_is_a_page_with_its_korean_text_seat_and_codes() {
        let sheet = sheet();
        let pdf = render(&sheet).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        // The font is subset: the whole of it is 700 kB.
        eprintln!("{} tickets: {} bytes", sheet.tickets.len(), pdf.len());
        assert!(pdf.len() < 80_000, "{} bytes", pdf.len());
        // To look at it: TIKETI_SAMPLE_PDF=/tmp/sample.pdf cargo nextest run … --no-capture
        if let Ok(path) = std::env::var("TIKETI_SAMPLE_PDF") {
            std::fs::write(path, &pdf).unwrap();
        }
        let scratch = Scratch::new();
        let pages = page_texts(&pdf, &scratch.0);
        assert_eq!(pages.len(), 2, "{pages:?}");
        for page in &pages {
            assert!(page.contains("아이유 콘서트 2026"), "{page}");
            assert!(page.contains("서울월드컵경기장"), "{page}");
            assert!(
                page.contains("2026-12-24 19:00 (Asia/Seoul, UTC+09:00)"),
                "{page}"
            );
            assert!(page.contains("홍길동"), "{page}");
            assert!(page.contains("TK-7Q2X9M"), "{page}");
        }
        assert!(pages[0].contains("Section A"), "{}", pages[0]);
        assert!(pages[0].contains("Row 3"), "{}", pages[0]);
        assert!(pages[0].contains("좌석 Seat 12"), "{}", pages[0]);
        assert!(pages[1].contains("스탠딩"), "{}", pages[1]);
    }

    #[test]
    fn the_qr_on_each_page_reads_back_as_that_tickets_code() {
        let sheet = sheet();
        let pdf = render(&sheet).unwrap();
        let scratch = Scratch::new();
        let input = scratch.0.join("tickets.pdf");
        std::fs::write(&input, &pdf).unwrap();
        let prefix = scratch.0.join("page");
        run(
            "pdftoppm",
            &[
                "-r".as_ref(),
                "200".as_ref(),
                "-gray".as_ref(),
                "-png".as_ref(),
                input.as_os_str(),
                prefix.as_os_str(),
            ],
        );
        for (n, ticket) in sheet.tickets.iter().enumerate() {
            let png = scratch.0.join(format!("page-{}.png", n + 1));
            let image = image::open(&png).unwrap().to_luma8();
            let mut prepared = rqrr::PreparedImage::prepare(image);
            let grids = prepared.detect_grids();
            assert_eq!(grids.len(), 1, "one QR on page {}", n + 1);
            let (_, content) = grids[0].decode().unwrap();
            assert_eq!(content, ticket.code);
        }
    }

    #[test]
    fn long_titles_wrap_and_nothing_is_lost() {
        let text = "서울 재즈 페스티벌 2026 Seoul Jazz Festival with a very long English subtitle";
        let lines = wrap(text, 17.0, PAGE_WIDTH - 2.0 * MARGIN);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), text);
        assert_eq!(wrap("", 10.0, 100.0), Vec::<String>::new());
    }
}
