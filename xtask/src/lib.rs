//! Library side of the xtask: `lint::` holds `cargo xtask lint-v2`, usable from tests.
#![forbid(unsafe_code)]

pub mod lint;
