//! Use-cases: one function per thing a user does; authorization; the clock.
