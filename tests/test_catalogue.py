"""Meta-tests over the rule catalogue: the fixed ids and names, one file per rule, every kind
used, docs generated from the YAML and up to date."""

from __future__ import annotations

from pathlib import Path

from postmaster_lint.detect import KINDS
from postmaster_lint.docs import render_rules_markdown
from postmaster_lint.rules import builtin_rules_dir, load_rules, rule_files

from .conftest import REPO

CATALOGUE = {
    "PM101": "compliance-appeal",
    "PM102": "excessive-contrition",
    "PM103": "asks-why-blocked",
    "PM104": "exception-request",
    "PM105": "unfinished-remediation",
    "PM106": "blames-receiver",
    "PM107": "call-request",
    "PM108": "innocence-claim",
    "PM109": "demanding-tone",
    "PM201": "missing-smtp-code",
    "PM202": "missing-remediation-steps",
    "PM203": "missing-results",
    "PM204": "missing-reputation-data",
    "PM205": "missing-prevention-plan",
    "PM206": "missing-sending-identity",
    "PM301": "too-long",
    "PM302": "hard-to-read",
    "PM303": "unfilled-placeholder",
    "PM401": "wrong-recipient",
    "PM402": "missing-provider-field",
    "PM403": "vague-list-name",
    "PM404": "obsolete-list",
    "PM405": "self-expiring-listing",
}


def test_catalogue_ids_and_names_are_fixed() -> None:
    assert {rule.id: rule.name for rule in load_rules()} == CATALOGUE


def test_categories_follow_the_numbering() -> None:
    expected = {"1": "pitfall", "2": "required", "3": "style", "4": "provider"}
    for rule in load_rules():
        assert rule.category == expected[rule.id[2]], rule.id


def test_every_kind_is_used_and_required_rules_use_require() -> None:
    rules = load_rules()
    assert {rule.detect.kind for rule in rules} == set(KINDS)
    for rule in rules:
        assert (rule.category == "required") == (rule.detect.kind == "require"), rule.id


def test_missing_smtp_code_is_an_error() -> None:
    rule = load_rules().get("PM201")
    assert rule is not None and rule.severity.label == "error"


def test_rule_files_are_the_repository_rules() -> None:
    shipped = sorted(p.name for p in rule_files(builtin_rules_dir()))
    in_repo = sorted(p.name for p in rule_files(REPO / "rules"))
    assert shipped == in_repo == sorted(f"{rule_id}.yaml" for rule_id in CATALOGUE)
    lexicon = sorted(p.name for p in (REPO / "rules" / "lexicon").glob("*.yaml"))
    assert lexicon == ["classes.yaml", "guards.yaml"]


def test_rule_reference_is_generated_and_current() -> None:
    current = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == render_rules_markdown(load_rules()), (
        "docs/rules.md is stale: run `postmaster-lint rules --format markdown > docs/rules.md`"
    )


def test_installed_package_carries_its_rules() -> None:
    import postmaster_lint

    package_dir = Path(postmaster_lint.__file__).resolve().parent
    if package_dir.parent == REPO / "src":  # a source checkout: rules come from the repository
        assert builtin_rules_dir() == REPO / "rules"
    else:  # an installed wheel: the rules must be inside the package
        assert builtin_rules_dir() == package_dir / "rules"
