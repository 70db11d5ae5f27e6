//! R1, R2, R3, R5 and R6 at their limits and one past, and what each counts.

use xtask::lint::config::Config;
use xtask::lint::findings::{Finding, Rule};
use xtask::lint::lint_sources;

fn lint_with(config: &Config, files: &[(&str, &str)]) -> Vec<Finding> {
    let sources: Vec<(String, String)> = files
        .iter()
        .map(|(p, s)| (p.to_string(), s.to_string()))
        .collect();
    lint_sources(&sources, config).expect("parses").findings
}

fn lint(source: &str) -> Vec<Finding> {
    lint_with(&Config::default(), &[("f.rs", source)])
}

fn values(findings: &[Finding], rule: Rule) -> Vec<usize> {
    findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.value)
        .collect()
}

fn fns(n: usize) -> String {
    (0..n).map(|i| format!("fn f{i}() {{}}\n")).collect()
}

#[test]
fn r1_counts_physical_lines() {
    let at_limit = "//\n".repeat(400);
    assert!(lint(&at_limit).is_empty());
    let past = "//\n".repeat(401);
    assert_eq!(values(&lint(&past), Rule::FileLines), [401]);
    let with_blank_lines = format!("{}\n", "//\n".repeat(400));
    assert_eq!(values(&lint(&with_blank_lines), Rule::FileLines), [401]);
}

#[test]
fn r2_counts_functions_with_bodies() {
    assert!(lint(&fns(10)).is_empty());
    let findings = lint(&fns(11));
    assert_eq!(values(&findings, Rule::Functions), [11]);
    assert_eq!(
        findings[0].at.line, 11,
        "points at the first function past the limit"
    );
}

#[test]
fn r2_counts_methods_trait_defaults_nested_and_inline_module_functions() {
    let source = "struct S; impl S { fn a(&self) {} } trait T { fn b(&self) {} fn decl(&self); }
        impl T for S { fn decl(&self) { fn nested() {} } } mod inner { fn c() {} }";
    assert_eq!(
        values(&lint(&format!("{source}\n{}", fns(6))), Rule::Functions),
        [11]
    );
    assert!(lint(&format!("{source}\n{}", fns(5))).is_empty());
}

#[test]
fn r2_ignores_declarations_closures_fn_pointers_macros_and_extern() {
    let source = "trait T { fn a(&self); fn b(&self); }
        extern \"C\" { fn ext(x: i32) -> i32; }
        type P = fn(u8) -> u8;
        macro_rules! m { () => { fn hidden() {} fn hidden2() {} }; }
        fn host() { let c = |x: u8| x + 1; let _ = c(1); }";
    assert!(lint(&format!("{source}\n{}", fns(9))).is_empty());
    assert_eq!(
        values(&lint(&format!("{source}\n{}", fns(10))), Rule::Functions),
        [11]
    );
}

#[test]
fn r2_and_r3_skip_test_code_unless_configured() {
    let test_code =
        "#[cfg(test)] mod tests { struct A; struct B; fn helper() {} #[test] fn t() {} }
        #[tokio::test] async fn t2() {} #[cfg(all(test, unix))] fn t3() {}
        #[test] fn t4() { struct Local; }";
    let source = format!(
        "{test_code}\n{}struct X1; struct X2; struct X3; struct X4; struct X5;",
        fns(10)
    );
    assert!(lint(&source).is_empty());
    let config = Config {
        count_test_code: true,
        ..Config::default()
    };
    let findings = lint_with(&config, &[("f.rs", &source)]);
    assert_eq!(values(&findings, Rule::Functions), [15]);
    assert_eq!(values(&findings, Rule::Types), [8]);
}

#[test]
fn a_file_with_cfg_test_is_test_code() {
    let source = format!(
        "#![cfg(test)]\n{}struct A; struct B; struct C; struct D; struct E; struct F;",
        fns(12)
    );
    assert!(lint(&source).is_empty());
}

#[test]
fn r3_counts_structs_enums_unions_traits_nested_included() {
    let five = "struct A; enum B { X } union C { a: u8 } trait D {} fn f() { struct E; }";
    assert!(lint(five).is_empty());
    let six = format!("{five} mod m {{ struct F; }}");
    assert_eq!(values(&lint(&six), Rule::Types), [6]);
}

#[test]
fn r3_ignores_aliases_impls_and_macro_generated_items() {
    let source = "struct A; struct B; struct C; struct D; struct E; type F = A; impl A {}
        macro_rules! make { () => { struct G; }; } make!();";
    assert!(lint(source).is_empty());
}

#[test]
fn r4_at_the_limit_and_past_it() {
    let ifs = |n: usize| {
        (0..n)
            .map(|i| format!("if x == {i} {{ return; }}"))
            .collect::<String>()
    };
    assert!(lint(&format!("fn f(x: u8) {{ {} }}", ifs(9))).is_empty());
    let findings = lint(&format!("fn f(x: u8) {{ {} }}", ifs(10)));
    assert_eq!(values(&findings, Rule::Complexity), [11]);
    assert_eq!(
        findings[0].message,
        "function `f` has cyclomatic complexity 11 (limit 10)"
    );
}

#[test]
fn r4_applies_to_test_code() {
    let ifs = (0..10)
        .map(|i| format!("if x == {i} {{ return; }}"))
        .collect::<String>();
    let source = format!("#[cfg(test)] mod tests {{ #[test] fn t() {{ let x = 1u8; {ifs} }} }}");
    assert_eq!(values(&lint(&source), Rule::Complexity), [11]);
}

#[test]
fn r5_counts_every_input() {
    assert!(lint("fn f(a: u8, b: u8, c: u8, d: u8, e: u8) {}").is_empty());
    assert_eq!(
        values(
            &lint("fn f(a: u8, b: u8, c: u8, d: u8, e: u8, g: u8) {}"),
            Rule::Params
        ),
        [6]
    );
    let with_self = "struct S; impl S { fn m(&self, a: u8, b: u8, c: u8, d: u8, e: u8) {} }";
    assert_eq!(values(&lint(with_self), Rule::Params), [6]);
}

#[test]
fn r5_tuple_patterns_and_comma_types_count_one() {
    let source = "use std::collections::HashMap;
        fn f((a, b): (u8, u8), m: HashMap<u8, (u8, u8)>, Wrap { x, y }: Wrap, c: fn(u8, u8) -> u8, d: [u8; 2]) {}
        struct Wrap { x: u8, y: u8 }";
    assert!(lint(source).is_empty());
}

#[test]
fn r5_checks_trait_declarations_but_not_trait_impls_or_extern() {
    let decl = "trait T { fn m(&self, a: u8, b: u8, c: u8, d: u8, e: u8); }";
    assert_eq!(values(&lint(decl), Rule::Params), [6]);
    let implemented =
        "struct S; impl Ext for S { fn m(&self, a: u8, b: u8, c: u8, d: u8, e: u8) {} }";
    assert!(lint(implemented).is_empty());
    let external = "extern \"C\" { fn e(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8); }";
    assert!(lint(external).is_empty());
}

#[test]
fn r6_trait_depth_at_the_limit_and_past_it() {
    let two = "trait A {} trait B: A {} trait C: B + Send + Sync + 'static {}";
    assert!(lint(two).is_empty());
    let three = format!("{two} trait D: C + ?Sized {{}}");
    let findings = lint(&three);
    assert_eq!(values(&findings, Rule::Depth), [3]);
    assert_eq!(findings[0].item, "D");
}

#[test]
fn r6_where_self_bounds_and_external_traits_count() {
    let source = "trait A: std::fmt::Debug {} trait B where Self: A {} trait C: B {}";
    assert_eq!(values(&lint(source), Rule::Depth), [3]);
    let markers = "trait A: Send + Sync + Sized + Unpin + UnwindSafe + RefUnwindSafe {} trait B: A {} trait C: B {}";
    assert!(lint(markers).is_empty());
}

#[test]
fn r6_resolves_names_across_files_and_takes_the_deepest_ambiguous_name() {
    let a = ("a.rs", "trait Base {} trait Mid: Base {}");
    let b = ("b.rs", "trait Mid {} trait Top: Mid {}");
    assert!(lint_with(&Config::default(), &[a, b]).is_empty());
    let c = ("c.rs", "trait Over: Top {}");
    let findings = lint_with(&Config::default(), &[a, b, c]);
    assert_eq!(
        (values(&findings, Rule::Depth), findings[0].path.as_str()),
        (vec![3], "c.rs")
    );
}

#[test]
fn r6_deref_chains_are_edges() {
    let chain = |n: usize| -> String {
        let types: String = (0..=n).map(|i| format!("struct T{i};")).collect();
        let derefs: String = (0..n)
            .map(|i| format!("impl std::ops::Deref for T{i} {{ type Target = T{}; fn deref(&self) -> &T{} {{ todo!() }} }}", i + 1, i + 1))
            .collect();
        types + &derefs
    };
    assert!(lint(&chain(2)).is_empty());
    assert_eq!(values(&lint(&chain(3)), Rule::Depth), [3]);
    let foreign = "struct W; impl std::ops::Deref for W { type Target = String; fn deref(&self) -> &String { todo!() } }";
    assert!(lint(foreign).is_empty());
}

#[test]
fn r6_cycles_do_not_hang() {
    assert!(lint("trait A: B {} trait B: A {}").is_empty());
}
