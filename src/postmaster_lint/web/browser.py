"""Starting `postmaster-lint serve` as a child process on a free port, for the browser test,
the screenshot script and the latency bench."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_SERVING = re.compile(r"serving on (http://\S+/)")


@contextmanager
def served(directory: Path, timeout: float = 60.0) -> Iterator[str]:
    """The URL of a server started in `directory` on a free port; stopped on exit."""
    process = subprocess.Popen(
        [sys.executable, "-m", "postmaster_lint", "serve", "--port", "0"],
        cwd=directory,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stderr is not None
        deadline = time.monotonic() + timeout
        line = process.stderr.readline()
        while not _SERVING.search(line):
            if not line or time.monotonic() > deadline:
                raise RuntimeError(f"serve did not start: {line.strip()}")
            line = process.stderr.readline()
        match = _SERVING.search(line)
        assert match is not None
        yield match.group(1)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
