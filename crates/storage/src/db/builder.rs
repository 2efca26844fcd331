//! Statements built at run time, as [`sqlx::QueryBuilder`].

use super::query::{Args, Bind, Query};
use std::fmt::{Display, Write};

/// A statement assembled piece by piece; bound values become `$N`
/// placeholders (which both engines accept) in the order pushed.
pub struct QueryBuilder<'args> {
    sql: String,
    args: Option<Args<'args>>,
}

impl<'args> QueryBuilder<'args> {
    /// A builder starting with `init` (SQL without placeholders).
    pub fn new(init: impl Into<String>) -> Self {
        QueryBuilder { sql: init.into(), args: Some(Args::default()) }
    }

    fn args(&mut self) -> &mut Args<'args> {
        self.args.as_mut().expect("QueryBuilder must be reset before reuse after `.build()`")
    }

    /// Appends SQL text.
    pub fn push(&mut self, sql: impl Display) -> &mut Self {
        let _ = self.args();
        write!(self.sql, "{sql}").expect("writing to a String");
        self
    }

    /// Appends a placeholder and binds `value` to it.
    pub fn push_bind<T: Bind<'args>>(&mut self, value: T) -> &mut Self {
        let args = self.args();
        args.add(value);
        let n = args.len();
        write!(self.sql, "${n}").expect("writing to a String");
        self
    }

    /// Pushes with `separator` between the items pushed through it.
    pub fn separated<'qb, Sep: Display>(&'qb mut self, separator: Sep) -> Separated<'qb, 'args, Sep>
    where
        'args: 'qb,
    {
        let _ = self.args();
        Separated { query_builder: self, separator, push_separator: false }
    }

    /// `VALUES (…), (…)`: one parenthesised tuple per item, its values
    /// pushed by `push_tuple`, as [`sqlx::QueryBuilder::push_values`].
    pub fn push_values<I, F>(&mut self, tuples: I, mut push_tuple: F) -> &mut Self
    where
        I: IntoIterator,
        F: FnMut(Separated<'_, 'args, &'static str>, I::Item),
    {
        self.push("VALUES ");
        let mut separated = self.separated(", ");
        for tuple in tuples {
            separated.push("(");
            push_tuple(separated.query_builder.separated(", "), tuple);
            separated.push_unseparated(")");
        }
        separated.query_builder
    }

    /// The statement, with the arguments bound so far (once per builder).
    pub fn build(&mut self) -> Query<'_> {
        let args = self.args.take().expect("QueryBuilder must be reset before reuse after `.build()`");
        Query::with(&self.sql, args)
    }

    /// The SQL text so far.
    pub fn sql(&self) -> &str {
        &self.sql
    }
}

/// Pushes into a [`QueryBuilder`] with a separator between items, as
/// [`sqlx::query_builder::Separated`].
pub struct Separated<'qb, 'args: 'qb, Sep> {
    query_builder: &'qb mut QueryBuilder<'args>,
    separator: Sep,
    push_separator: bool,
}

impl<'qb, 'args: 'qb, Sep: Display> Separated<'qb, 'args, Sep> {
    /// Appends SQL text, after the separator unless it is the first item.
    pub fn push(&mut self, sql: impl Display) -> &mut Self {
        if self.push_separator {
            self.query_builder.push(format_args!("{}{}", self.separator, sql));
        } else {
            self.query_builder.push(sql);
            self.push_separator = true;
        }
        self
    }

    /// Appends SQL text without a separator.
    pub fn push_unseparated(&mut self, sql: impl Display) -> &mut Self {
        self.query_builder.push(sql);
        self
    }

    /// Binds a value, after the separator unless it is the first item.
    pub fn push_bind<T: Bind<'args>>(&mut self, value: T) -> &mut Self {
        if self.push_separator {
            self.query_builder.push(&self.separator);
        }
        self.query_builder.push_bind(value);
        self.push_separator = true;
        self
    }

    /// Binds a value without a separator.
    pub fn push_bind_unseparated<T: Bind<'args>>(&mut self, value: T) -> &mut Self {
        self.query_builder.push_bind(value);
        self
    }
}
