//! Library side of the xtask: `lint::` holds `cargo xtask lint-v2`, usable from tests.
#![forbid(unsafe_code)]

pub mod bench;
pub mod lint;

/// The cargo that runs this xtask (so the same toolchain is used).
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}
