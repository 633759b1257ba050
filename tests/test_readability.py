"""Readability must work offline and without any dictionary download."""

from __future__ import annotations

import pytest

from postmaster_lint import readability


def test_reading_ease_needs_no_download(monkeypatch: pytest.MonkeyPatch) -> None:
    import nltk

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("textstat tried to download an NLTK corpus")

    monkeypatch.setattr(nltk, "download", refuse)
    easy = readability.reading_ease("We removed the list. The rate fell. We check it each day.")
    hard = readability.reading_ease(
        "Notwithstanding considerable organisational complexity, comprehensive "
        "infrastructural reconfiguration necessitated extraordinary interdepartmental "
        "coordination."
    )
    assert easy > 80 > 0 > hard


def test_word_count_ignores_punctuation() -> None:
    assert readability.word_count("We removed 12,000 addresses - on 3 May!") == 7


def test_textstat_is_loaded_without_nltk() -> None:
    import subprocess
    import sys

    probe = (
        "import sys\nfrom postmaster_lint import readability\n"
        "print(round(readability.reading_ease('We removed the list. The rate fell.')))\n"
        "print('nltk' in sys.modules)\n"
        "import nltk\nprint(hasattr(nltk, 'download'))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    ease, loaded, real = done.stdout.split()
    assert int(ease) > 60
    assert loaded == "False"  # not imported by us
    assert real == "True"  # and a later import still gets the real package
