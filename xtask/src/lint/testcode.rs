//! What counts as test code: `#[test]`-like attributes and `#[cfg(...)]` that mentions `test`.

use proc_macro2::{TokenStream, TokenTree};
use syn::{Attribute, Meta};

/// True when `attrs` mark their item as test code: an attribute whose last path segment is
/// `test` (`#[test]`, `#[tokio::test]`), or a `#[cfg(...)]` that mentions `test`.
pub fn is_test_item(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| is_test_attr(a) || cfg_mentions_test(a))
}

/// True when the file carries `#![cfg(...)]` mentioning `test`.
pub fn is_test_file(file: &syn::File) -> bool {
    file.attrs.iter().any(cfg_mentions_test)
}

fn is_test_attr(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|s| s.ident == "test")
}

fn cfg_mentions_test(attr: &Attribute) -> bool {
    match &attr.meta {
        Meta::List(list) if list.path.is_ident("cfg") => mentions_test(list.tokens.clone()),
        _ => false,
    }
}

fn mentions_test(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == "test",
        TokenTree::Group(group) => mentions_test(group.stream()),
        _ => false,
    })
}
