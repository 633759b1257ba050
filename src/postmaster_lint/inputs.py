"""Turning paths into draft text, or into one-line errors that name the file.

Nothing here writes: the linter never modifies a file it reads.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
# Extensions a directory walk lints. Files named explicitly are linted whatever their name.
DRAFT_EXTENSIONS = frozenset(
    {
        ".txt",
        ".text",
        ".md",
        ".markdown",
        ".eml",
        ".html",
        ".htm",
        ".j2",
        ".jinja",
        ".jinja2",
        ".liquid",
        ".hbs",
        ".handlebars",
        ".mustache",
        ".tmpl",
        ".tpl",
    }
)
STDIN = "-"
# Byte-order marks of the encodings a text file may carry besides UTF-8 (UTF-32 first: its
# little-endian mark begins with UTF-16's).
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


@dataclass(frozen=True)
class Draft:
    path: str
    text: str
    format: str | None = None  # None: from the file name


def is_draft_name(path: str) -> bool:
    return Path(path).suffix.lower() in DRAFT_EXTENSIONS


def expand_paths(
    paths: list[str], wanted: Callable[[str], bool] = is_draft_name
) -> Iterator[str | InputError]:
    """Files as given, directories walked (files `wanted` says yes to, hidden entries skipped),
    in a stable order. Problems are yielded in place so the other paths still get linted."""
    for given in paths:
        if given == STDIN:
            yield given
            continue
        path = Path(given)
        if path.is_dir():
            found = False
            for draft in _walk(path, wanted):
                found = True
                yield draft
            if not found:  # a CI job pointed at the wrong folder must not pass
                why = "no drafts in this directory (and none its config includes)"
                yield InputError(why, given)
        elif path.exists() or path.is_symlink():
            yield given
        else:
            yield InputError("no such file or directory", given)


def _walk(root: Path, wanted: Callable[[str], bool]) -> Iterator[str]:
    # os.walk does not follow symlinked directories, so a symlink loop cannot recurse forever.
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(files):
            path = os.path.join(directory, name)
            if path.startswith("./"):  # `lint .` reports templates/x.txt, as ruff does
                path = path[2:]
            if not name.startswith(".") and wanted(path):
                yield path


def read_draft(
    path: str, max_bytes: int = DEFAULT_MAX_BYTES, display_name: str | None = None
) -> Draft:
    """Read and decode one draft, or raise InputError with a one-line reason. Stdin is named
    `display_name` when one is given (its reader then follows that name)."""
    if path == STDIN:
        name = display_name if display_name and display_name != STDIN else "<stdin>"
        data = sys.stdin.buffer.read(max_bytes + 1)
        return Draft(name, decode(data, name, max_bytes))
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file", path)
        if info.st_size > max_bytes:
            raise InputError(
                f"file is {info.st_size} bytes, over the {max_bytes}-byte limit (--max-file-size)",
                path,
            )
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None
    return Draft(path, decode(data, path, max_bytes))


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` so that a reader sees the old file or the new one, never half."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", str(path)) from None


_SURROGATE = re.compile("[\udc80-\udcff]")


def printable(text: str) -> str:
    """Text safe to print: bytes an email body carried in another charset (kept as surrogates
    so offsets stay exact) become U+FFFD."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def decode(data: bytes, path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    if len(data) > max_bytes:
        raise InputError(f"input is over the {max_bytes}-byte limit (--max-file-size)", path)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"not valid {codec.upper()} ({exc.reason})", path) from None
    if b"\x00" in data:
        raise InputError("binary file (contains NUL bytes), not a text draft", path)
    if path.lower().endswith(".eml"):
        # A message may carry 8-bit parts in any charset; the .eml reader decodes each part
        # with its declared charset, so keep undecodable bytes (as surrogates) instead.
        return data.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", path
        ) from None
    return text
