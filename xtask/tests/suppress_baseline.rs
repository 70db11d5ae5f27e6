//! Suppressions (with and without reasons, unused, file-level) and the baseline ratchet.

use xtask::lint::baseline;
use xtask::lint::config::Config;
use xtask::lint::findings::{Finding, Rule};
use xtask::lint::lint_sources;

fn lint(source: &str) -> Vec<Finding> {
    let sources = vec![("f.rs".to_string(), source.to_string())];
    lint_sources(&sources, &Config::default())
        .expect("parses")
        .findings
}

fn complex_fn(name: &str) -> String {
    let ifs: String = (0..11)
        .map(|i| format!("if x == {i} {{ return; }}"))
        .collect();
    format!("fn {name}(x: u8) {{ {ifs} }}\n")
}

fn allow(spec: &str) -> String {
    format!("// {}: {spec}\n", "lint-v2")
}

#[test]
fn an_item_suppression_with_a_reason_suppresses_that_item_only() {
    let source = format!(
        "{}/// docs\n#[inline]\n{}{}",
        allow("allow(R4) -- generated table"),
        complex_fn("a"),
        complex_fn("b")
    );
    let findings = lint(&source);
    assert_eq!(findings.len(), 1);
    assert_eq!(
        (findings[0].rule, findings[0].item.as_str()),
        (Rule::Complexity, "b")
    );
}

#[test]
fn a_suppression_without_a_reason_is_a_finding_and_suppresses_nothing() {
    let source = format!("{}{}", allow("allow(R4)"), complex_fn("a"));
    let rules: Vec<Rule> = lint(&source).iter().map(|f| f.rule).collect();
    assert_eq!(rules, [Rule::Suppression, Rule::Complexity]);
    assert!(lint(&source)[0].message.contains("without a reason"));
}

#[test]
fn a_suppression_that_suppresses_nothing_is_a_finding() {
    let source = format!("{}fn simple() {{}}\n", allow("allow(R4) -- not needed"));
    let findings = lint(&source);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule, Rule::Suppression);
    assert!(findings[0].message.contains("suppresses nothing"));
}

#[test]
fn malformed_suppressions_are_findings() {
    for spec in ["allow(R9) -- why", "deny(R4) -- why"] {
        let findings = lint(&format!("{}fn simple() {{}}\n", allow(spec)));
        assert_eq!(findings.len(), 1, "{spec}");
        assert_eq!(findings[0].rule, Rule::Suppression);
    }
}

#[test]
fn a_file_suppression_covers_file_level_rules() {
    let fns: String = (0..11).map(|i| format!("fn f{i}() {{}}\n")).collect();
    let source = format!("//! {}: allow(R2) -- a dispatch table\n{fns}", "lint-v2");
    assert!(lint(&source).is_empty());
    assert_eq!(lint(&fns)[0].rule, Rule::Functions);
}

#[test]
fn the_baseline_tolerates_recorded_findings_and_fails_on_worse_new_or_stale() {
    let findings = lint(&format!("{}{}", complex_fn("a"), complex_fn("b")));
    let entries = baseline::parse(&baseline::bless(&findings)).expect("blessed baseline parses");
    assert_eq!(entries.len(), 2);
    assert!(
        baseline::compare(findings.clone(), &entries).is_empty(),
        "same findings, moved lines are fine"
    );
    let moved = lint(&format!("\n\n{}{}", complex_fn("b"), complex_fn("a")));
    assert!(baseline::compare(moved, &entries).is_empty());
    let worse_a = complex_fn("a").replace("{ return; }", "{ return; } if x > 200 { return; }");
    let worse = baseline::compare(lint(&format!("{worse_a}{}", complex_fn("b"))), &entries);
    assert_eq!(worse.len(), 1);
    assert!(
        worse[0].message.contains("worse than the baseline's 12"),
        "{}",
        worse[0].message
    );
    let new = baseline::compare(
        lint(&format!(
            "{}{}{}",
            complex_fn("a"),
            complex_fn("b"),
            complex_fn("c")
        )),
        &entries,
    );
    assert_eq!(
        new.iter().map(|f| f.item.as_str()).collect::<Vec<_>>(),
        ["c"]
    );
    let stale = baseline::compare(lint(&complex_fn("a")), &entries);
    assert_eq!(
        (stale.len(), stale[0].rule, stale[0].item.as_str()),
        (1, Rule::StaleBaseline, "b")
    );
}

#[test]
fn a_bad_baseline_is_an_error() {
    assert!(baseline::parse("{not json").is_err());
}
