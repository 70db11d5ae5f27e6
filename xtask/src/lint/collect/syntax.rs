//! What the collector reads off the syntax: names, positions, supertraits, `Deref` targets.

use proc_macro2::Span;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Attribute, ImplItem, ItemImpl, ItemTrait, Type, TypeParamBound, WherePredicate};

use crate::lint::model::Location;

/// Auto and marker traits that never count as supertraits.
const IGNORED_TRAITS: &[&str] = &[
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "UnwindSafe",
    "RefUnwindSafe",
];

/// The 1-based position of `span`'s start.
pub fn location(span: Span) -> Location {
    let start = span.start();
    Location {
        line: start.line,
        column: start.column + 1,
    }
}

/// The first line of an item: its first attribute (doc comments included) or else `span`.
pub fn first_line(attrs: &[Attribute], span: Span) -> usize {
    let own = span.start().line;
    attrs
        .iter()
        .map(|a| a.span().start().line)
        .chain([own])
        .min()
        .unwrap_or(own)
}

/// The last path segment of a type (`crate::a::Store<T>` gives `Store`), or its tokens.
pub fn type_name(ty: &Type) -> String {
    match ty {
        Type::Path(p) => p
            .path
            .segments
            .last()
            .map_or_else(String::new, |s| s.ident.to_string()),
        Type::Reference(r) => type_name(&r.elem),
        other => quote_tokens(other),
    }
}

fn quote_tokens(ty: &Type) -> String {
    ty.to_token_stream().to_string().replace(' ', "")
}

/// The names of a trait's supertraits, from `trait T: …` and `where Self: …`, without lifetimes,
/// `?Sized` and the auto/marker traits.
pub fn supertraits(item: &ItemTrait) -> Vec<String> {
    let from_where = item
        .generics
        .where_clause
        .iter()
        .flat_map(|w| &w.predicates)
        .filter_map(|p| match p {
            WherePredicate::Type(t) if type_name(&t.bounded_ty) == "Self" => Some(&t.bounds),
            _ => None,
        });
    item.supertraits
        .iter()
        .chain(from_where.flatten())
        .filter_map(bound_name)
        .collect()
}

fn bound_name(bound: &TypeParamBound) -> Option<String> {
    let TypeParamBound::Trait(t) = bound else {
        return None;
    };
    if matches!(t.modifier, syn::TraitBoundModifier::Maybe(_)) {
        return None;
    }
    let name = t.path.segments.last()?.ident.to_string();
    (!IGNORED_TRAITS.contains(&name.as_str())).then_some(name)
}

/// For `impl Deref for X { type Target = Y; }`, the name of `Y`.
pub fn deref_target(item: &ItemImpl) -> Option<String> {
    let (_, path, _) = item.trait_.as_ref()?;
    if path.segments.last()?.ident != "Deref" {
        return None;
    }
    item.items.iter().find_map(|i| match i {
        ImplItem::Type(t) if t.ident == "Target" => Some(type_name(&t.ty)),
        _ => None,
    })
}
