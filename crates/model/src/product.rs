//! What the product page reads beyond the catalog row (migration 0019):
//! an article's technical data and handbook text, and the picture of its
//! product type. A supertrait of [`crate::Storage`], implemented once for
//! both engines by `ramp_storage::SqlStorage` (`sql/product.rs`).
//!
//! Pictures are kept per product type (ISO 9999 code), not per article:
//! the articles of one type look alike on a handbook page, and a catalog
//! of 500,000 articles would otherwise carry 500,000 copies. They are SVG
//! text served by Ramp itself (the CSP allows no other origin).

use crate::{Id, Result};
use async_trait::async_trait;
use ramp_domain::product::TechRow;
use serde::Serialize;

/// An article's technical data and handbook text (both may be empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ArticleDetails {
    pub article_id: Id,
    pub technical_data: Vec<TechRow>,
    pub handbook_text: Option<String>,
}

/// The picture of a product type, with its alternative text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductImage {
    /// The six-digit ISO 9999 code it shows.
    pub iso_code: String,
    pub svg: String,
    pub alt_sv: String,
    pub alt_en: String,
}

#[async_trait]
pub trait ProductStore: Send + Sync {
    /// The details of these articles (articles without any are left out).
    async fn article_details(&self, article_ids: &[Id]) -> Result<Vec<ArticleDetails>>;
    /// Writes (or replaces) articles' details in bulk, in one transaction (demo data, imports).
    async fn insert_article_details(&self, rows: &[ArticleDetails]) -> Result<()>;
    /// The picture of a product type.
    async fn product_image(&self, iso_code: &str) -> Result<Option<ProductImage>>;
    /// Which of these product types have a picture.
    async fn product_types_with_image(&self, iso_codes: &[String]) -> Result<Vec<String>>;
    /// Writes (or replaces) product-type pictures, in one transaction.
    async fn insert_product_images(&self, rows: &[ProductImage]) -> Result<()>;
}
