//! A row of either engine.

use super::storage_error;
use crate::Result;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Postgres, Sqlite, Type};

/// A value both engines can decode (see [`Row::try_get`]).
pub trait Decode<'r>: sqlx::Decode<'r, Sqlite> + Type<Sqlite> + sqlx::Decode<'r, Postgres> + Type<Postgres> {}

impl<'r, T> Decode<'r> for T where
    T: sqlx::Decode<'r, Sqlite> + Type<Sqlite> + sqlx::Decode<'r, Postgres> + Type<Postgres>
{
}

/// A column's name (`&str`) or position (`usize`) on both engines.
pub trait ColumnIndex: sqlx::ColumnIndex<SqliteRow> + sqlx::ColumnIndex<PgRow> {}

impl<I> ColumnIndex for I where I: sqlx::ColumnIndex<SqliteRow> + sqlx::ColumnIndex<PgRow> {}

/// A row a statement returned.
pub enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl Row {
    /// The column at `index` decoded as `T`, as [`sqlx::Row::try_get`].
    pub fn try_get<'r, T, I>(&'r self, index: I) -> Result<T>
    where
        T: Decode<'r>,
        I: ColumnIndex,
    {
        match self {
            Row::Sqlite(r) => sqlx::Row::try_get(r, index),
            Row::Postgres(r) => sqlx::Row::try_get(r, index),
        }
        .map_err(storage_error)
    }

    /// How many columns the row has.
    pub fn len(&self) -> usize {
        match self {
            Row::Sqlite(r) => sqlx::Row::len(r),
            Row::Postgres(r) => sqlx::Row::len(r),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl From<SqliteRow> for Row {
    fn from(r: SqliteRow) -> Self {
        Row::Sqlite(r)
    }
}

impl From<PgRow> for Row {
    fn from(r: PgRow) -> Self {
        Row::Postgres(r)
    }
}
