//! R4: one fixture per construct, each proven to count (or not) exactly as specified.

use xtask::lint::analyze_source;

/// The complexity of every function in `source`, by qualified name.
fn complexities(source: &str) -> Vec<(String, usize)> {
    let m = analyze_source("fixture.rs", source).expect("parses");
    m.functions
        .into_iter()
        .map(|f| (f.name, f.complexity))
        .collect()
}

/// The complexity of a function whose body is `body`.
fn of(body: &str) -> usize {
    let source = format!("fn f(a: bool, b: bool, c: Option<u8>, x: u8) -> Option<u8> {{ {body} }}");
    complexities(&source)[0].1
}

#[test]
fn straight_line_is_one() {
    assert_eq!(of("let y = x + 1; Some(y)"), 1);
}

#[test]
fn if_counts_one_and_else_counts_zero() {
    assert_eq!(of("if a { return None } Some(1)"), 2);
    assert_eq!(of("if a { Some(1) } else { None }"), 2);
}

#[test]
fn else_if_counts_one_each() {
    assert_eq!(
        of("if a { Some(1) } else if b { Some(2) } else if x > 3 { Some(3) } else { None }"),
        4
    );
}

#[test]
fn if_let_counts_one() {
    assert_eq!(of("if let Some(v) = c { return Some(v) } None"), 2);
}

#[test]
fn while_and_while_let_count_one() {
    assert_eq!(of("let mut i = 0; while i < x { i += 1 } Some(i)"), 2);
    assert_eq!(
        of("let mut it = c; while let Some(v) = it { it = v.checked_sub(1) } None"),
        2
    );
}

#[test]
fn for_counts_one_and_loop_counts_zero() {
    assert_eq!(of("for i in 0..x { let _ = i; } None"), 2);
    assert_eq!(of("loop { break } None"), 1);
}

#[test]
fn let_else_counts_one() {
    assert_eq!(of("let Some(v) = c else { return None }; Some(v)"), 2);
}

#[test]
fn boolean_operators_count_one_each() {
    assert_eq!(of("if a && b { return None } None"), 3);
    assert_eq!(of("let z = a || b; let _ = z; None"), 2);
    assert_eq!(of("let z = a && b || x > 2 && !a; let _ = z; None"), 4);
}

#[test]
fn bitwise_and_comparison_operators_count_zero() {
    assert_eq!(of("let z = (a & b) | (x > 2); let _ = z; None"), 1);
}

#[test]
fn question_mark_counts_one_each() {
    assert_eq!(of("let v = c?; Some(v)"), 2);
    assert_eq!(of("let v = c?.checked_add(1)?; Some(v)"), 3);
}

#[test]
fn match_counts_arms_minus_one() {
    assert_eq!(of("match x { 0 => None, 1 => Some(1), _ => Some(2) }"), 3);
    assert_eq!(of("match c { _ => None }"), 1);
}

#[test]
fn match_guard_counts_one() {
    assert_eq!(
        of("match x { n if n > 5 => None, n if b => Some(n), _ => Some(0) }"),
        5
    );
}

#[test]
fn or_patterns_count_zero() {
    assert_eq!(of("match x { 0 | 1 | 2 => None, _ => Some(1) }"), 2);
}

#[test]
fn break_continue_return_count_zero() {
    assert_eq!(of("loop { if a { break } continue } return None"), 2);
}

#[test]
fn closures_count_toward_the_function() {
    assert_eq!(of("let g = |v: u8| if v > 1 { v } else { 0 }; c.map(g)"), 2);
    assert_eq!(of("let g = |v: Option<u8>| v?.checked_add(1); g(c)"), 2);
}

#[test]
fn async_blocks_count_toward_the_function() {
    assert_eq!(
        of("let _fut = async move { if a { 1 } else { 2 } }; None"),
        2
    );
}

#[test]
fn nested_functions_are_their_own() {
    let source = "fn outer(a: bool) -> u8 { fn inner(b: bool) -> u8 { if b { 1 } else { 0 } } if a { inner(a) } else { 0 } }";
    assert_eq!(
        complexities(source),
        [("outer".into(), 2), ("outer::inner".into(), 2)]
    );
}

#[test]
fn macros_with_expression_arguments_are_counted() {
    assert_eq!(of("assert!(a && b); None"), 2);
    assert_eq!(of("println!(\"{}\", c?); None"), 2);
    assert_eq!(of("assert_eq!(a || b, x > 1 && b, \"msg\"); None"), 3);
    assert_eq!(
        of("let v = vec![if a { 1 } else { 2 }]; v.first().copied()"),
        2
    );
}

#[test]
fn macros_without_expression_arguments_add_zero() {
    assert_eq!(of("let v = vec![a && b; 3]; let _ = v; None"), 1);
    assert_eq!(
        of("macro_rules! m { ($e:expr) => { if $e { 1 } else { 0 } } } None"),
        1
    );
}

#[test]
fn methods_and_trait_defaults_are_measured() {
    let source = "struct S; impl S { fn m(&self, a: bool) -> u8 { if a { 1 } else { 0 } } }
        trait T { fn d(&self, a: bool) -> bool { a && true } fn req(&self); }";
    assert_eq!(
        complexities(source),
        [("S::m".into(), 2), ("T::d".into(), 2), ("T::req".into(), 1)]
    );
}
