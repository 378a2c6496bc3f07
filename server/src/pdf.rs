//! Printable documents. The app prepares a document as translated, formatted strings
//! (`app::quotes::print`); this module lays it out with typst and embeds a subset of
//! Noto Sans CJK, so Chinese text is real, searchable text in the PDF.
//!
//! typst is heavy to compile, so it sits behind the `pdf` cargo feature (on by default,
//! and so in `make run` and `make test`). Without the feature, or without the fonts
//! (Debian package fonts-noto-cjk), `render` returns an error the route translates.
use std::path::{Path, PathBuf};

/// Why a document could not be made.
#[derive(Debug)]
pub enum PdfError {
    /// The binary was built without the `pdf` feature.
    #[cfg_attr(feature = "pdf", allow(dead_code))]
    NotBuilt,
    /// No Noto Sans CJK font file was found.
    NoFonts,
    /// typst refused the template or data (a bug: the data is plain strings).
    Layout(String),
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::NotBuilt => write!(f, "this build has no PDF support (cargo feature `pdf`)"),
            PdfError::NoFonts => write!(f, "no Noto Sans CJK font found (install fonts-noto-cjk or set CRM_PDF_FONT_DIR)"),
            PdfError::Layout(e) => write!(f, "PDF layout failed: {e}"),
        }
    }
}

impl std::error::Error for PdfError {}

/// Where fonts are looked for: `CRM_PDF_FONT_DIR` first, then Debian's and Fedora's places.
fn font_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("CRM_PDF_FONT_DIR").map(PathBuf::from).into_iter().collect();
    dirs.extend(
        [
            "/usr/share/fonts/opentype/noto",
            "/usr/share/fonts/noto-cjk",
            "/usr/share/fonts/google-noto-cjk",
            "/usr/share/fonts/truetype/noto",
        ]
        .map(PathBuf::from),
    );
    dirs
}

/// The Noto Sans CJK regular and bold collections (or single-language files).
fn font_files() -> Vec<PathBuf> {
    let wanted = |p: &Path| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        name.starts_with("NotoSansCJK")
            && (name.contains("-Regular.") || name.contains("-Bold."))
            && (name.ends_with(".ttc") || name.ends_with(".otf"))
    };
    for dir in font_dirs() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| wanted(p)).collect();
        if !files.is_empty() {
            files.sort();
            return files;
        }
    }
    Vec::new()
}

#[cfg(feature = "pdf")]
mod engine {
    use super::PdfError;
    use std::sync::OnceLock;
    use typst::foundations::{Dict, Str, Value};
    use typst_as_lib::{TypstEngine, TypstTemplateMainFile};

    static QUOTE_TEMPLATE: &str = include_str!("pdf/document.typ");

    /// Fonts are read once (the collections are ~20 MB each); the engine keeps typst's
    /// caches warm between documents.
    static ENGINE: OnceLock<Option<TypstEngine<TypstTemplateMainFile>>> = OnceLock::new();

    fn engine() -> Result<&'static TypstEngine<TypstTemplateMainFile>, PdfError> {
        ENGINE
            .get_or_init(|| {
                let fonts: Vec<Vec<u8>> = super::font_files().iter().filter_map(|p| std::fs::read(p).ok()).collect();
                if fonts.is_empty() {
                    return None;
                }
                Some(TypstEngine::builder().main_file(QUOTE_TEMPLATE).fonts(fonts).build())
            })
            .as_ref()
            .ok_or(PdfError::NoFonts)
    }

    pub fn render(json: &str) -> Result<Vec<u8>, PdfError> {
        let engine = engine()?;
        let mut inputs = Dict::new();
        inputs.insert("data".into(), Value::Str(Str::from(json)));
        let doc: typst_layout::PagedDocument = engine.compile_with_input(inputs).output.map_err(|e| PdfError::Layout(format!("{e:?}")))?;
        typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|e| PdfError::Layout(format!("{e:?}")))
    }
}

/// Lays out a document (`app::platform::print::Document` as JSON) as an A4 PDF.
pub fn render(json: &str) -> Result<Vec<u8>, PdfError> {
    #[cfg(feature = "pdf")]
    {
        engine::render(json)
    }
    #[cfg(not(feature = "pdf"))]
    {
        let _ = (json, font_files);
        Err(PdfError::NotBuilt)
    }
}

/// `crm bench-pdf`: prints how long a quote takes to lay out, cold and warm.
pub fn bench(iterations: usize, out: Option<&Path>) -> anyhow::Result<()> {
    use std::time::Instant;
    for lines in [12, 200] {
        let mut doc = app::platform::print::Document::sample();
        let row = doc.rows[0].clone();
        doc.rows = (1..=lines)
            .map(|i| {
                let mut r = row.clone();
                r[0] = i.to_string();
                r
            })
            .collect();
        let json = serde_json::to_string(&doc)?;
        let start = Instant::now();
        let first = render(&json).map_err(|e| anyhow::anyhow!("{e}"))?;
        let cold = start.elapsed();
        if let (Some(path), 12) = (out, lines) {
            std::fs::write(path, &first)?;
        }
        let mut times: Vec<f64> = (0..iterations)
            .map(|_| {
                let t = Instant::now();
                let _ = render(&json);
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(|a, b| a.total_cmp(b));
        let pick = |q: f64| times.get(((times.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0.0);
        println!(
            "quote PDF, {lines:>3} lines: first {:>7.1} ms (fonts loaded) · then median {:>6.1} ms, p95 {:>6.1} ms over {iterations} · {} KB",
            cold.as_secs_f64() * 1000.0,
            pick(0.5),
            pick(0.95),
            first.len() / 1024
        );
    }
    Ok(())
}

#[cfg(all(test, feature = "pdf"))]
mod tests {
    use super::*;

    #[test]
    fn a_chinese_document_renders_with_its_text_mapped_to_unicode() {
        if font_files().is_empty() {
            // CI installs fonts-noto-cjk (make chromium); a bare checkout may not have it.
            assert!(std::env::var("CI").is_err(), "fonts-noto-cjk is missing on CI");
            return;
        }
        let doc = app::platform::print::Document::sample();
        let json = serde_json::to_string(&doc).unwrap();
        let bytes = render(&json).expect("renders");
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.len() > 5_000, "{} bytes", bytes.len());
    }
}
