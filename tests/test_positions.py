"""Findings point at the exact span: 1-based lines and columns in Unicode code points, end
exclusive, the flagged text equal to the source slice."""

from __future__ import annotations

from postmaster_lint import LintConfig, lint_text

ONLY_PM104 = LintConfig.create(select=["PM104"])


def test_span_after_accents_and_emoji_counts_code_points() -> None:
    text = "Bonjour 👋 équipe,\nRésumé: please whitelist our IP."
    [finding] = lint_text(text, ONLY_PM104)
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (2, 16, 2, 25)
    assert finding.text == "whitelist" == text[finding.start : finding.end]


def test_crlf_line_endings_keep_columns() -> None:
    text = "Hello,\r\n\r\nPlease whitelist our IP.\r\n"
    [finding] = lint_text(text, ONLY_PM104)
    assert (finding.line, finding.column, finding.end_column) == (3, 8, 17)


def test_document_level_findings_sit_on_the_first_line_with_text() -> None:
    text = "\n\n   Subject: unblock request\nPlease review our IP.\n"
    [finding] = lint_text(text, LintConfig.create(select=["PM201"]))
    assert (finding.line, finding.column, finding.end_column) == (3, 4, 28)
    assert finding.text == "Subject: unblock request"


def test_results_are_sorted_and_deterministic() -> None:
    text = "URGENT!!! Please whitelist us. We are not spammers. We are deeply sorry."
    first = lint_text(text)
    assert first == lint_text(text) == sorted(first)
    assert [d.rule for d in first if d.rule.startswith("PM1")] == [
        "PM109",
        "PM109",
        "PM104",
        "PM108",
        "PM102",
    ]


def test_hard_wrapped_lines_match_across_the_break_with_original_positions() -> None:
    text = "Hello,\nWe will\r\nclean our list next week.\n"
    [finding] = lint_text(text, LintConfig.create(select=["PM105"]))
    assert finding.text == "We will\r\nclean"
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (2, 1, 3, 6)
