//! Poster upload: every accepted format becomes JPEG renditions served with immutable
//! caching; what is not a poster (a renamed text file, a cut-off image, a file over the
//! size limit, a pixel bomb) is refused in the envelope and leaves the event as it was;
//! only admins may upload; the S3 path runs against a real S3-compatible server (moto).

use std::{io::Cursor, process::Stdio, time::Duration};

use image::{ImageFormat, RgbImage};
use object_store::{path::Path as ObjectPath, Attribute};
use serde_json::{json, Value};
use sqlx::PgPool;
use tiketi_core::media::{MediaConfig, MediaStore, StoreConfig};
use tiketi_testkit::{error_of, test_config, TestApp};

/// A photo-like test image: gradients, so that every format compresses it differently.
fn picture(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([
            (x * 255 / w) as u8,
            (y * 255 / h) as u8,
            ((x + y) % 256) as u8,
        ])
    })
}

fn encoded(img: &RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// A JPEG carrying an EXIF segment with a marker that must not survive re-encoding.
fn jpeg_with_exif(img: &RgbImage) -> Vec<u8> {
    let jpeg = encoded(img, ImageFormat::Jpeg);
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\0\0\0\0\0GPS-SECRET-37.5665N".to_vec();
    let len = (exif.len() + 2) as u16;
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&len.to_be_bytes());
    segment.append(&mut exif);
    let mut out = jpeg[..2].to_vec();
    out.extend(segment);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A PNG whose header claims 30,000 × 30,000 pixels (3.6 GB decoded) in a few bytes.
fn pixel_bomb() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&30_000u32.to_be_bytes());
    ihdr.extend_from_slice(&30_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut z, &vec![0u8; 1 << 20]).unwrap();
    let idat = z.finish().unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &idat);
    chunk(&mut png, b"IEND", &[]);
    png
}

async fn create_event(app: &TestApp, admin: &str) -> String {
    let seoul = chrono_tz::Asia::Seoul;
    let at = |days: i64| {
        (chrono::Utc::now() + chrono::Duration::days(days))
            .with_timezone(&seoul)
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let res = app
        .client
        .post(app.url("/api/admin/events"))
        .bearer_auth(admin)
        .json(
            &json!({"title": "Poster Night", "venue": "Hall", "category": "concert",
                      "saleStart": at(1), "saleEnd": at(5), "startsAt": at(6),
                      "ticketTypes": [{"name": "GA", "price": 50000, "quantity": 10}]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    body["event"]["id"].as_str().unwrap().to_string()
}

async fn upload(
    app: &TestApp,
    token: Option<&str>,
    event: &str,
    body: Vec<u8>,
    content_type: &str,
) -> reqwest::Response {
    // Decoding and resizing in an unoptimized test build on a busy machine takes a while.
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(180))
        .build()
        .unwrap();
    let mut req = client
        .post(app.url(&format!("/api/admin/events/{event}/poster")))
        .header("content-type", content_type)
        .body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

async fn uploaded(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body["event"].clone()
}

/// The widths and URLs of an event's `posterImages`.
fn renditions(event: &Value) -> Vec<(u64, String)> {
    event["posterImages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["width"].as_u64().unwrap(),
                i["url"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn assert_jpeg_of_width(bytes: &[u8], width: u64) {
    assert_eq!(image::guess_format(bytes).unwrap(), ImageFormat::Jpeg);
    let img = image::load_from_memory(bytes).unwrap();
    assert_eq!(u64::from(img.width()), width);
    assert!(
        !bytes.windows(10).any(|w| w == b"GPS-SECRET"),
        "metadata survived"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn each_format_becomes_jpeg_renditions_served_with_immutable_caching(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let admin = app.admin_token("boss@example.com").await;
    let event = create_event(&app, &admin).await;

    let cases = [
        (
            jpeg_with_exif(&picture(1600, 2400)),
            "image/jpeg",
            vec![320, 640, 1280],
        ),
        (
            encoded(&picture(800, 1200), ImageFormat::Png),
            "image/png",
            vec![320, 640],
        ),
        // Named and typed as something else: the content decides.
        (
            encoded(&picture(500, 700), ImageFormat::WebP),
            "application/octet-stream",
            vec![320],
        ),
        (
            encoded(&picture(200, 300), ImageFormat::Png),
            "image/jpeg",
            vec![200],
        ),
    ];
    let mut previous: Vec<(u64, String)> = Vec::new();
    for (bytes, content_type, widths) in cases {
        let shown = uploaded(upload(&app, Some(&admin), &event, bytes, content_type).await).await;
        let got = renditions(&shown);
        assert_eq!(got.iter().map(|(w, _)| *w).collect::<Vec<_>>(), widths);
        assert_eq!(shown["posterUrl"], got.last().unwrap().1.as_str());
        for (width, url) in &got {
            assert!(
                url.starts_with("/media/posters/") && url.ends_with(".jpg"),
                "{url}"
            );
            let res = app.get(url).await;
            assert_eq!(res.status(), 200, "{url}");
            assert_eq!(res.headers()["content-type"], "image/jpeg");
            assert_eq!(
                res.headers()["cache-control"],
                "public, max-age=31536000, immutable"
            );
            assert_jpeg_of_width(&res.bytes().await.unwrap(), *width);
        }
        // The public detail shows the new poster at once (the cache was dropped).
        let detail: Value = app
            .get(&format!("/api/events/{event}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(renditions(&detail["event"]), got);
        // The previous poster's files stay: a page rendered before still shows them.
        for (_, url) in &previous {
            assert_eq!(app.get(url).await.status(), 200);
        }
        previous = got;
    }

    // Pasting a URL instead drops the uploaded renditions.
    let res = app
        .client
        .put(app.url(&format!("/api/admin/events/{event}")))
        .bearer_auth(&admin)
        .json(&json!({"posterUrl": "https://cdn.example.com/p.jpg"}))
        .send()
        .await
        .unwrap();
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["event"]["posterUrl"], "https://cdn.example.com/p.jpg");
    assert_eq!(body["event"]["posterImages"], json!([]));

    // A file that was never stored is a 404 in the envelope, and not cached.
    let res = app.get("/media/posters/0000.jpg").await;
    assert!(res.headers().get("cache-control").is_none());
    error_of(res, 404, "ROUTE_NOT_FOUND").await;

    // Every upload is in the audit log.
    let audit: Value = app
        .client
        .get(app.url(&format!(
            "/api/admin/audit?entityId={event}&action=event.update"
        )))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(audit["pagination"]["total"], 5, "{audit}");
}

#[sqlx::test(migrations = "../migrations")]
async fn what_is_not_a_poster_is_refused_and_changes_nothing(pool: PgPool) {
    let mut config = test_config();
    config.media.max_upload_bytes = 256 * 1024;
    let app = TestApp::spawn_with(pool, config).await;
    let admin = app.admin_token("boss@example.com").await;
    let event = create_event(&app, &admin).await;
    let first = uploaded(
        upload(
            &app,
            Some(&admin),
            &event,
            encoded(&picture(400, 600), ImageFormat::Png),
            "image/png",
        )
        .await,
    )
    .await;

    let text = b"name,seat\nkim,A1\n".repeat(20);
    error_of(
        upload(&app, Some(&admin), &event, text, "image/png").await,
        415,
        "UNSUPPORTED_IMAGE_TYPE",
    )
    .await;
    error_of(
        upload(&app, Some(&admin), &event, Vec::new(), "image/png").await,
        415,
        "UNSUPPORTED_IMAGE_TYPE",
    )
    .await;
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;".to_vec();
    error_of(
        upload(&app, Some(&admin), &event, gif, "image/gif").await,
        415,
        "UNSUPPORTED_IMAGE_TYPE",
    )
    .await;

    for format in [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::WebP] {
        let whole = encoded(&picture(300, 300), format);
        let cut = whole[..whole.len() * 2 / 3].to_vec();
        error_of(
            upload(&app, Some(&admin), &event, cut, "image/png").await,
            422,
            "CORRUPT_IMAGE",
        )
        .await;
    }

    let bomb = pixel_bomb();
    assert!(bomb.len() < 10_000, "a bomb is small: {}", bomb.len());
    let e = error_of(
        upload(&app, Some(&admin), &event, bomb, "image/png").await,
        422,
        "TOO_MANY_PIXELS",
    )
    .await;
    assert!(e["message"].as_str().unwrap().contains("900000000"), "{e}");

    // Noise does not compress: well over the 256 KiB limit.
    let noise = RgbImage::from_fn(400, 400, |x, y| {
        let v = x
            .wrapping_mul(2_654_435_761)
            .wrapping_add(y.wrapping_mul(40_503)) as u8;
        image::Rgb([v, v.rotate_left(3), v.rotate_left(5)])
    });
    let big = encoded(&noise, ImageFormat::Png);
    assert!(big.len() > 256 * 1024);
    error_of(
        upload(&app, Some(&admin), &event, big, "image/png").await,
        413,
        "PAYLOAD_TOO_LARGE",
    )
    .await;

    let missing = uuid::Uuid::new_v4();
    error_of(
        upload(
            &app,
            Some(&admin),
            &missing.to_string(),
            encoded(&picture(50, 50), ImageFormat::Png),
            "image/png",
        )
        .await,
        404,
        "EVENT_NOT_FOUND",
    )
    .await;

    let detail: Value = app
        .get(&format!("/api/events/{event}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["event"]["posterImages"], first["posterImages"]);
    assert_eq!(detail["event"]["posterUrl"], first["posterUrl"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn only_admins_upload(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let admin = app.admin_token("boss@example.com").await;
    let event = create_event(&app, &admin).await;
    let (fan, _) = app.register("fan@example.com").await;
    let png = encoded(&picture(100, 100), ImageFormat::Png);
    error_of(
        upload(&app, None, &event, png.clone(), "image/png").await,
        401,
        "AUTH_REQUIRED",
    )
    .await;
    error_of(
        upload(&app, Some(&fan), &event, png, "image/png").await,
        403,
        "ADMIN_ONLY",
    )
    .await;
    let detail: Value = app
        .get(&format!("/api/events/{event}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["event"]["posterImages"], json!([]));
}

/// A moto S3 server on an allocated port, stopped when dropped.
struct Moto {
    child: std::process::Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_moto() -> Moto {
    let port = tiketi_testkit::ports::free_port().unwrap();
    let child = std::process::Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto_server on PATH (pip install 'moto[server]'; scripts/stack.sh suite_rust installs it)");
    let moto = Moto {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if client
            .get(format!("{}/moto-api/", moto.endpoint))
            .send()
            .await
            .is_ok()
        {
            return moto;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("moto_server did not start on port {port}");
}

#[sqlx::test(migrations = "../migrations")]
async fn posters_go_to_an_s3_compatible_store(pool: PgPool) {
    let moto = start_moto().await;
    let bucket = "tiketi-posters";
    let created = reqwest::Client::new()
        .put(format!("{}/{bucket}", moto.endpoint))
        .send()
        .await
        .unwrap();
    assert!(
        created.status().is_success(),
        "bucket: {}",
        created.status()
    );
    // Publicly readable, as a poster bucket behind the web app is.
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": "*", "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::{bucket}/*")}]});
    let public = reqwest::Client::new()
        .put(format!("{}/{bucket}?policy", moto.endpoint))
        .body(policy.to_string())
        .send()
        .await
        .unwrap();
    assert!(public.status().is_success(), "policy: {}", public.status());

    let media = MediaConfig {
        store: StoreConfig::S3 {
            bucket: bucket.into(),
            region: "us-east-1".into(),
            endpoint: Some(moto.endpoint.clone()),
            access_key_id: Some("testing".into()),
            secret_access_key: Some("testing".into()),
        },
        public_base_url: format!("{}/{bucket}", moto.endpoint),
        ..MediaConfig::local("/nonexistent".into())
    };
    let mut config = test_config();
    config.media = media.clone();
    let app = TestApp::spawn_with(pool, config).await;
    let admin = app.admin_token("boss@example.com").await;
    let event = create_event(&app, &admin).await;
    let shown = uploaded(
        upload(
            &app,
            Some(&admin),
            &event,
            jpeg_with_exif(&picture(700, 1000)),
            "image/jpeg",
        )
        .await,
    )
    .await;
    let got = renditions(&shown);
    assert_eq!(
        got.iter().map(|(w, _)| *w).collect::<Vec<_>>(),
        vec![320, 640]
    );

    // Read back through the store's own API, with the headers a public bucket serves.
    let store = MediaStore::new(&media).unwrap();
    for (width, url) in &got {
        let key = url
            .strip_prefix(&format!("{}/{bucket}/", moto.endpoint))
            .unwrap_or_else(|| panic!("{url} is under the public base URL"));
        assert!(key.starts_with("posters/"), "{key}");
        let object = store.inner().get(&ObjectPath::from(key)).await.unwrap();
        assert_eq!(
            object
                .attributes
                .get(&Attribute::ContentType)
                .map(|v| v.as_ref()),
            Some("image/jpeg")
        );
        assert_eq!(
            object
                .attributes
                .get(&Attribute::CacheControl)
                .map(|v| v.as_ref()),
            Some("public, max-age=31536000, immutable")
        );
        assert_jpeg_of_width(&object.bytes().await.unwrap(), *width);
        // And over plain HTTP at the public URL the event carries.
        let res = reqwest::get(url).await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "image/jpeg");
        assert_jpeg_of_width(&res.bytes().await.unwrap(), *width);
    }
    // The api serves no /media/ when the posters live elsewhere.
    assert_eq!(
        app.get(&format!(
            "/media/{}",
            &got[0].1[moto.endpoint.len() + bucket.len() + 2..]
        ))
        .await
        .status(),
        404
    );
}
