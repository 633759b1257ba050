"""Negated, hypothetical and quoted text does not fire; quoted evidence still counts."""

from __future__ import annotations

import pytest

from postmaster_lint import LintConfig, lint_text


def fired(text: str, rule: str) -> list[str]:
    return [d.text for d in lint_text(text, LintConfig.create(select=[rule]))]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("We are not asking for an exception or for whitelisting.", "PM104"),
        ("We never asked to be whitelisted.", "PM104"),
        ("We understand Gmail has no whitelisting program.", "PM104"),
        ("We do not think this was a false positive.", "PM106"),
        ("If we had to ask for a whitelist, we would have failed.", "PM104"),
        ("If the problem comes back, we will investigate it the same day.", "PM105"),
        ("> Please do not ask us to whitelist you.", "PM104"),
        ('The reply said "this is clearly not a false positive" and closed the ticket.', "PM106"),
        ("We do not want to speak with someone on the phone.", "PM107"),
        ("Going forward we will keep auditing the list monthly.", "PM105"),
    ],
)
def test_guarded_text_does_not_fire(text: str, rule: str) -> None:
    assert fired(text, rule) == []


@pytest.mark.parametrize(
    ("text", "rule", "expected"),
    [
        ("If possible, please whitelist our IP.", "PM104", ["whitelist"]),
        ("We would appreciate it if you could add us to your safe list.", "PM104", ["safe list"]),
        (
            "We don't understand why our IP was listed.",
            "PM103",
            ["We don't understand why our IP was listed."],
        ),
        ("Since we cannot reach our customers, please whitelist our IP.", "PM104", ["whitelist"]),
        (
            "If this is not fixed by Friday our lawyers will be in touch.",
            "PM109",
            ["our lawyers will be in touch"],
        ),
    ],
)
def test_what_only_looks_guarded_still_fires(text: str, rule: str, expected: list[str]) -> None:
    assert fired(text, rule) == expected


def test_quoted_bounce_supplies_required_elements() -> None:
    text = (
        "We fixed the cause.\n"
        "> 550 5.7.1 Unfortunately, messages from [192.0.2.10] weren't sent. (S3150)\n"
    )
    rules = {d.rule for d in lint_text(text, LintConfig.create(select=["PM201", "PM206"]))}
    assert rules == set()


def test_negated_or_planned_steps_are_not_evidence() -> None:
    for text in ("We have not removed anyone yet.", "DKIM will be implemented next week."):
        assert [d.rule for d in lint_text(text, LintConfig.create(select=["PM202"]))] == ["PM202"]


def test_prevention_excuses_a_future_tense_only_next_to_a_completed_fix() -> None:
    config = LintConfig.create(select=["PM105"])
    plan = "Going forward we will audit the list monthly."
    assert lint_text("We removed 3,000 inactive addresses on 2 May. " + plan, config) == []
    assert [d.text for d in lint_text(plan, config)] == ["we will audit"]


def test_an_imperative_is_a_request() -> None:
    """A sentence (or a clause after a comma) that opens with a plain verb asks something."""
    assert fired("Remove us from your list now.", "PM109") == ["Remove us from your list now"]
    assert fired("We lose orders every hour, so get this fixed immediately.", "PM109") == [
        "immediately"
    ]
    assert fired("We fixed the server immediately.", "PM109") == []


def test_thanks_with_exclamation_marks_is_not_a_demand() -> None:
    assert fired("Thank you so much for the quick delisting!!", "PM109") == []
    assert fired("Our invoices are still bouncing!!", "PM109") == ["!!"]
