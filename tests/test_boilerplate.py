"""A form's own questions, labels and instructions are not the sender's words: pitfalls never
fire there, while the sender's answers under them are linted."""

from __future__ import annotations

from postmaster_lint import lint_text


def found(text: str, path: str = "issue.md") -> list[tuple[str, str]]:
    return [(d.rule, d.text) for d in lint_text(text, path=path) if d.rule.startswith("PM1")]


def test_a_template_heading_that_asks_is_the_forms() -> None:
    text = (
        "### Why do you believe this is a false positive?\n\n"
        "It is the site of our bakery. Please whitelist it.\n"
    )
    assert found(text) == [("PM104", "whitelist")]


def test_a_bold_label_line_is_the_forms() -> None:
    assert found("**Why should the domain be unblocked?**\n\nWe fixed the plugin.\n") == []


def test_a_label_with_its_answer_on_the_line_keeps_the_answer() -> None:
    text = "Why you believe this to be a false positive: your filter is broken\n"
    assert found(text, "issue.txt") == [("PM106", "your filter is broken")]


def test_a_sentence_in_the_forms_voice_is_the_forms() -> None:
    text = (
        "Please list any domains which you believe are a false positive.\n"
        "How did you discover your web site or domain was listed here?\n"
        "shop.example.com\n"
    )
    assert found(text, "issue.txt") == []


def test_a_heading_in_a_plain_text_copy_of_a_form() -> None:
    assert found("### Why is this a false positive?\nNo idea.\n", "issue.txt") == []


def test_a_bracketed_template_tag_in_the_subject() -> None:
    assert found("Subject: [FALSE-POSITIVE]\n\nWe removed the malware on 2 May.\n", "a.txt") == []


def test_a_senders_own_heading_stays_the_senders() -> None:
    """A heading that ends in a colon with nothing after it is the sender's own structure."""
    text = "What we found and fixed:\nYour filter is broken.\n"
    assert found(text, "a.txt") == [("PM106", "Your filter is broken")]
