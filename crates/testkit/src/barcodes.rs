//! Reads the barcodes in a PDF the way a scanner would see them on paper:
//! Debian's `pdftoppm` (poppler) renders every page to an image and
//! `zbarimg` (zbar) decodes the barcodes in it. Both are installed by the
//! test command (`scripts/ensure-pdf-tools`); a missing tool fails the test
//! with that instruction rather than skipping it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

const PDFTOPPM: &str = "/usr/bin/pdftoppm";
const ZBARIMG: &str = "/usr/bin/zbarimg";

/// A directory of its own for one decoding (tests run in parallel).
fn scratch() -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let base = std::env::var_os("RAMP_TEST_TMPDIR").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = base.join(format!("barcodes-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

fn require(tool: &str) {
    assert!(Path::new(tool).exists(), "{tool} is missing: run scripts/ensure-pdf-tools (scripts/test does)");
}

/// Every barcode on every page of `pdf`, page by page, as zbar decodes it
/// (GS1-128 without its FNC1, e.g. `0107350012340018`).
pub fn decode_pdf(pdf: &[u8]) -> Vec<String> {
    require(PDFTOPPM);
    require(ZBARIMG);
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF: {:?}", String::from_utf8_lossy(&pdf[..pdf.len().min(40)]));
    let dir = scratch();
    let file = dir.join("doc.pdf");
    std::fs::write(&file, pdf).expect("write the PDF");
    let out = Command::new(PDFTOPPM)
        .args(["-r", "200", "-gray", "-png"])
        .arg(&file)
        .arg(dir.join("page"))
        .output()
        .expect("run pdftoppm");
    assert!(out.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&out.stderr));
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read the pages")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    pages.sort();
    let mut codes = Vec::new();
    for page in pages {
        let out = Command::new(ZBARIMG).args(["--raw", "-q"]).arg(&page).output().expect("run zbarimg");
        // zbarimg exits 4 when a page has no barcode at all.
        assert!(
            out.status.success() || out.status.code() == Some(4),
            "zbarimg: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        codes.extend(String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).filter(|l| !l.is_empty()));
    }
    let _ = std::fs::remove_dir_all(&dir);
    codes
}
