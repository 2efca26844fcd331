//! Ramp's printable documents as PDF: the adaptation document
//! ([`adaptation`]) written as flowing text ([`text`]). Base-14 Helvetica
//! with WinAnsi encoding: no font file is embedded and Swedish å ä ö
//! print; content streams are not compressed, so a test can find the text
//! in the file ([`text::text_of`]).

pub mod adaptation;
pub mod text;

pub use text::{text_of, TextDocument};

/// `text` in Windows-1252 (WinAnsi), what base-14 fonts print.
pub fn win_ansi(text: &str) -> Vec<u8> {
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    bytes.into_owned()
}
