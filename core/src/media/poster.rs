//! Turning an uploaded file into the poster's renditions. The file's bytes decide what it
//! is (its name and `Content-Type` are the client's word); its dimensions are checked
//! before a pixel is decoded and the decoder runs under allocation limits, so a
//! decompression bomb is refused instead of exhausting memory. Each rendition is a fresh
//! JPEG: nothing of the original file (EXIF, GPS, ICC, comments) survives.

use std::io::Cursor;

use image::{
    codecs::jpeg::JpegEncoder, imageops::FilterType, DynamicImage, ImageDecoder, ImageError,
    ImageFormat, ImageReader, RgbImage,
};

/// Widths the web app's `srcset` offers; an image narrower than one is not enlarged.
pub const WIDTHS: [u32; 3] = [320, 640, 1280];

/// JPEG quality of every rendition: visually lossless for photos at poster sizes.
const JPEG_QUALITY: u8 = 82;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PosterError {
    #[error("the file is not a JPEG, PNG or WebP image")]
    Unsupported,
    #[error("the image has {pixels} pixels; at most {max} are accepted")]
    TooManyPixels { pixels: u64, max: u64 },
    #[error("the image is damaged or incomplete")]
    Corrupt,
}

/// One re-encoded width of a poster.
#[derive(Debug, Clone)]
pub struct Rendition {
    pub width: u32,
    pub height: u32,
    pub jpeg: Vec<u8>,
}

/// Decodes `bytes` (JPEG, PNG or WebP, told apart by their signature) and renders it at
/// every width of [`WIDTHS`] up to its own, or once at its own width when it is narrower
/// than all of them. CPU-bound: run it on a blocking thread.
pub fn render(bytes: &[u8], max_pixels: u64) -> Result<Vec<Rendition>, PosterError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| PosterError::Unsupported)?;
    let format = reader.format();
    if !matches!(
        format,
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)
    ) {
        return Err(PosterError::Unsupported);
    }
    // A JPEG decoder fills a cut-off scan with grey instead of failing; the end-of-image
    // marker after the last scan tells a complete file (a marker cannot occur inside
    // entropy-coded data, where 0xFF is always stuffed).
    if format == Some(ImageFormat::Jpeg) && !jpeg_is_complete(bytes) {
        return Err(PosterError::Corrupt);
    }
    let mut limits = image::Limits::default();
    // Width × height is checked below; the side limit only stops absurd headers early.
    limits.max_image_width = Some(100_000);
    limits.max_image_height = Some(100_000);
    // Room for the decoded RGBA image twice over (decoders convert), and no more.
    limits.max_alloc = Some(max_pixels.saturating_mul(8).max(64 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(classify)?;
    let (w, h) = decoder.dimensions();
    let pixels = u64::from(w) * u64::from(h);
    if pixels > max_pixels {
        return Err(PosterError::TooManyPixels {
            pixels,
            max: max_pixels,
        });
    }
    if pixels == 0 {
        return Err(PosterError::Corrupt);
    }
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(classify)?;
    if let Some(o) = orientation {
        image.apply_orientation(o);
    }
    let flat = DynamicImage::ImageRgb8(on_white(&image));
    drop(image);
    let mut widths: Vec<u32> = WIDTHS
        .iter()
        .copied()
        .filter(|&x| x <= flat.width())
        .collect();
    if widths.is_empty() {
        widths.push(flat.width());
    }
    // Widest first, each from the previous one: every step at most halves the width, so
    // the filter stays sharp and the cost falls with each rendition.
    let mut out = Vec::with_capacity(widths.len());
    let mut source = flat;
    for &width in widths.iter().rev() {
        if width != source.width() {
            source =
                source.resize_exact(width, scaled_height(&source, width), FilterType::CatmullRom);
        }
        out.push(encode(&source)?);
    }
    out.reverse();
    Ok(out)
}

fn scaled_height(image: &DynamicImage, width: u32) -> u32 {
    let (w, h) = (u64::from(image.width()), u64::from(image.height()));
    ((h * u64::from(width) + w / 2) / w).max(1) as u32
}

fn classify(e: ImageError) -> PosterError {
    match e {
        ImageError::Limits(_) => PosterError::TooManyPixels { pixels: 0, max: 0 },
        ImageError::Unsupported(_) => PosterError::Unsupported,
        _ => PosterError::Corrupt,
    }
}

fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let last = |marker: u8| bytes.windows(2).rposition(|w| w == [0xFF, marker]);
    matches!((last(0xD9), last(0xDA)), (Some(eoi), Some(sos)) if eoi > sos)
}

/// The image as RGB, transparent parts laid on white (JPEG has no alpha).
fn on_white(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend = |c: u8| ((u16::from(c) * u16::from(a) + 255 * u16::from(255 - a)) / 255) as u8;
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

fn encode(image: &DynamicImage) -> Result<Rendition, PosterError> {
    let mut jpeg = Vec::new();
    image
        .write_with_encoder(JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY))
        .map_err(|_| PosterError::Corrupt)?;
    Ok(Rendition {
        width: image.width(),
        height: image.height(),
        jpeg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(w, h, |x, y| image::Rgba([x as u8, y as u8, 90, 200]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn renders_each_width_up_to_the_original() {
        let out = render(&png(700, 350), 40_000_000).unwrap();
        let dims: Vec<(u32, u32)> = out.iter().map(|r| (r.width, r.height)).collect();
        assert_eq!(dims, vec![(320, 160), (640, 320)]);
        for r in &out {
            let back = image::load_from_memory(&r.jpeg).unwrap();
            assert_eq!((back.width(), back.height()), (r.width, r.height));
            assert_eq!(image::guess_format(&r.jpeg).unwrap(), ImageFormat::Jpeg);
        }
    }

    #[test]
    fn a_small_image_keeps_its_width() {
        let out = render(&png(100, 150), 40_000_000).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!((out[0].width, out[0].height), (100, 150));
    }

    #[test]
    fn refuses_what_is_not_an_allowed_image() {
        assert_eq!(
            render(b"hello, world", 1_000_000).unwrap_err(),
            PosterError::Unsupported
        );
        assert_eq!(
            render(b"GIF89a\x04\x00\x04\x00", 1_000_000).unwrap_err(),
            PosterError::Unsupported
        );
    }

    #[test]
    fn refuses_truncated_and_oversized_images() {
        let full = png(400, 400);
        assert_eq!(
            render(&full[..full.len() / 2], 40_000_000).unwrap_err(),
            PosterError::Corrupt
        );
        assert!(matches!(
            render(&full, 100_000).unwrap_err(),
            PosterError::TooManyPixels {
                pixels: 160_000,
                max: 100_000
            }
        ));
    }
}
