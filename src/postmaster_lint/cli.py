"""The command line. Each command is a thin wrapper over the API; errors a user can fix are one
line on stderr with exit code 2, never a traceback."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from . import __version__
from .config import parse_option_assignment
from .diagnostics import Severity
from .errors import InputError, UserError
from .inputs import DEFAULT_MAX_BYTES
from .settings import Overrides

FORMATS = ("text", "json")
# Kept here, not imported from output.py, so `--help` does not load spaCy (tested equal).
OUTPUT_FORMATS = ("text", "concise", "json", "sarif", "github")


def _split(values: Sequence[str]) -> list[str]:
    """--select PM101,PM104 --select PM105 -> [PM101, PM104, PM105]"""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _fail(message: str) -> NoReturn:
    click.echo(f"postmaster-lint: error: {message}", err=True)
    sys.exit(2)


def _output_option(help_text: str) -> Callable[[F], F]:
    """-o/--output: where to write instead of standard output (lint, new)."""
    return click.option(
        "--output",
        "-o",
        "output_path",
        type=click.Path(path_type=Path),
        default=None,
        help=help_text,
    )


def _max_file_size_option(help_text: str, default: int | None) -> Callable[[F], F]:
    """--max-file-size: the largest input read, in bytes (lint, bounce, serve)."""
    return click.option(
        "--max-file-size",
        type=click.IntRange(min=1),
        default=default,
        metavar="BYTES",
        help=help_text,
    )


def _timeout_option(help_text: str) -> Callable[[F], F]:
    """--timeout: seconds one lint may take (lint, serve)."""
    return click.option(
        "--timeout",
        "budget",
        type=click.FloatRange(min=0.1),
        default=10.0,
        show_default=True,
        metavar="SECONDS",
        help=help_text,
    )


_RULES_OPTION = click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Also load the rule packs in DIR.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="postmaster-lint")
def cli() -> None:
    """Lint requests to mailbox-provider postmasters and blocklist operators."""


F = TypeVar("F", bound=Callable[..., Any])


def _settings_options(command: F) -> F:
    """The options that decide which rules apply and how, shared by `lint` and `config`."""
    for option in reversed(_SETTINGS_OPTIONS):
        command = option(command)
    return command


_SETTINGS_OPTIONS = [
    click.option(
        "--select",
        multiple=True,
        metavar="RULES",
        help="Only these rules (ids or names, comma-separated); replaces the config's.",
    ),
    click.option(
        "--ignore", multiple=True, metavar="RULES", help="Skip these rules, on top of the config's."
    ),
    click.option(
        "--fail-on",
        type=click.Choice([s.label for s in Severity]),
        default=None,
        help="Lowest severity that makes the exit code 1 [default: info].",
    ),
    click.option(
        "--set",
        "assignments",
        multiple=True,
        metavar="RULE.OPTION=VALUE",
        help="Set a rule option, e.g. PM102.threshold=2.",
    ),
    click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path),
        default=None,
        help="Use this configuration file instead of searching for one.",
    ),
    click.option("--no-config", is_flag=True, help="Ignore configuration files."),
]


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(OUTPUT_FORMATS),
    default="text",
    show_default=True,
    help="Output format (docs/output.md).",
)
@_RULES_OPTION
@_settings_options
@click.option(
    "--provider",
    default=None,
    metavar="ID",
    help="The provider or blocklist every draft is for (see `postmaster-lint providers`); "
    "default: the configuration's `provider:`, else recognised from the draft.",
)
@_max_file_size_option("Refuse files larger than this (default 2 MiB).", None)
@click.option(
    "--checklist/--no-checklist",
    default=True,
    show_default=True,
    help="Print each file's required-element checklist (text format).",
)
@click.option("--statistics", is_flag=True, help="Print how often each rule fired instead.")
@click.option(
    "--stdin-filename",
    default=None,
    metavar="NAME",
    help="The name of the file read from stdin: picks its reader and configuration.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Lint in N processes [default: the cores available].",
)
@_timeout_option("Time one file may take; a file over it is reported, not linted.")
@_output_option("Write the report to this file (atomically) instead of standard output.")
@click.option(
    "--cache/--no-cache",
    "use_cache",
    default=True,
    show_default=True,
    help="Reuse findings for files, rules and settings seen before.",
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Where the cache lives [default: .postmaster-lint-cache, or $POSTMASTER_LINT_CACHE_DIR].",
)
def lint(
    paths: tuple[str, ...],
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    assignments: tuple[str, ...],
    rule_dirs: tuple[Path, ...],
    config_path: Path | None,
    no_config: bool,
    provider: str | None,
    max_file_size: int | None,
    checklist: bool,
    statistics: bool,
    stdin_filename: str | None,
    jobs: int | None,
    budget: float,
    output_path: Path | None,
    use_cache: bool,
    cache_dir: Path | None,
) -> None:
    """Lint draft files (directories are searched; '-' reads stdin)."""
    from .cache import default_directory
    from .commands.lint import RunOptions, run_lint
    from .output import render, render_statistics
    from .results import exit_code

    overrides = _overrides(select, ignore, assignments, rule_dirs, fail_on, config_path, no_config)
    if provider is not None:
        from .providers import load_providers

        overrides = dataclasses.replace(overrides, provider=load_providers().resolve(provider).id)
    options = RunOptions(
        max_bytes=max_file_size or DEFAULT_MAX_BYTES,
        stdin_filename=stdin_filename,
        jobs=jobs,
        cache_dir=(cache_dir or default_directory()) if use_cache else None,
        budget=budget,
    )
    results, rules = run_lint(list(paths), overrides, options)
    # A configuration's error stops every file under it; say it once, with how many it stopped.
    errors = Counter(result.error.render() for result in results if result.error)
    for message, count in errors.items():
        suffix = f" ({count} files not linted)" if count > 1 else ""
        click.echo(f"postmaster-lint: {message}{suffix}", err=True)
    report = (
        render_statistics(results)
        if statistics
        else render(results, output_format, rules, checklist)
    )
    if output_path is None:
        click.echo(report, nl=False)
    else:
        from .inputs import write_atomically

        write_atomically(output_path, click.unstyle(report))
    sys.exit(exit_code(results))


def _overrides(
    select: Sequence[str],
    ignore: Sequence[str],
    assignments: Sequence[str],
    rule_dirs: Sequence[Path],
    fail_on: str | None = None,
    config_path: Path | None = None,
    no_config: bool = False,
) -> Overrides:
    if config_path is not None and not config_path.is_file():
        raise UserError("configuration file not found", str(config_path))
    options: dict[str, dict[str, Any]] = {}
    for assignment in assignments:
        rule, key, value = parse_option_assignment(assignment)
        options.setdefault(rule, {})[key] = value
    return Overrides(
        select=tuple(_split(select)),
        ignore=tuple(_split(ignore)),
        options=options,
        rule_dirs=tuple(rule_dirs),
        fail_on=fail_on,
        config=config_path,
        no_config=no_config,
    )


@cli.command(name="config")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@_settings_options
def show_config(
    path: Path | None,
    config_path: Path | None,
    no_config: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    assignments: tuple[str, ...],
    fail_on: str | None,
) -> None:
    """Print the effective configuration for PATH (default: here) and where each value
    came from."""
    from .commands.show_config import describe

    overrides = _overrides(select, ignore, assignments, (), fail_on, config_path, no_config)
    click.echo(describe(str(path) if path else None, overrides), nl=False)


@cli.command(name="check-rules")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--strict",
    is_flag=True,
    help="Also fail when a pattern has no example that it alone catches.",
)
def check_rules(directory: Path, strict: bool) -> None:
    """Validate a rule pack and run each rule's good/bad examples, like a test runner."""
    from .commands.check_rules import run_check

    sys.exit(run_check(directory, strict))


@cli.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice((*FORMATS, "markdown")),
    default="text",
    show_default=True,
    help="markdown prints the full rule reference (docs/rules.md).",
)
@_RULES_OPTION
def rules(output_format: str, rule_dirs: tuple[Path, ...]) -> None:
    """List the rule catalogue (the built-in rules, and those of --rules DIR)."""
    from .commands.catalogue import list_rules

    click.echo(list_rules(output_format, rule_dirs), nl=False)


@cli.command()
@click.argument("rule")
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True
)
@_RULES_OPTION
def explain(rule: str, output_format: str, rule_dirs: tuple[Path, ...]) -> None:
    """Explain a rule: why postmasters care, and examples that do and do not fire."""
    from .commands.catalogue import explain_rule

    click.echo(explain_rule(rule, output_format, rule_dirs), nl=False)


@cli.command(name="eval")
@click.argument("corpus", type=click.Path(path_type=Path), default=Path("corpora"))
@click.option("--min-precision", type=float, default=0.9, show_default=True)
@click.option("--min-recall", type=float, default=0.9, show_default=True)
@click.option("--show-misses", is_flag=True, help="List every false positive and negative.")
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True
)
def evaluate(
    corpus: Path, min_precision: float, min_recall: float, show_misses: bool, output_format: str
) -> None:
    """Per-rule precision and recall on a labeled corpus; exit 1 below the thresholds."""
    from .api import get_linter
    from .evaluate import (
        is_sentence_set,
        load_corpus,
        load_sentences,
        render_scores,
        score,
        score_sentences,
    )

    linter = get_linter()
    known = [r.id for r in linter.rules]
    if is_sentence_set(corpus):
        drafts: list[Any] = load_sentences(corpus, known)
        scores = score_sentences(linter, drafts)
        unit = "sentences"
    else:
        drafts = load_corpus(corpus, known)
        scores = score(linter, drafts)
        unit = "drafts"
    failing = [
        s.rule
        for s in scores.values()
        if (s.precision is not None and s.precision < min_precision)
        or (s.recall is not None and s.recall < min_recall)
    ]
    if output_format == "json":
        click.echo(
            json.dumps(
                {
                    unit: len(drafts),
                    "rules": {
                        rule_id: {
                            "precision": s.precision,
                            "recall": s.recall,
                            "true_positives": s.expected_found,
                            "false_positives": s.found_wrong,
                            "false_negatives": s.expected_missed,
                        }
                        for rule_id, s in sorted(scores.items())
                    },
                    "failing": failing,
                },
                indent=2,
            )
        )
    else:
        names = {r.id: r.name for r in linter.rules}
        click.echo(f"{len(drafts)} {unit}\n" + render_scores(scores, names), nl=False)
        if show_misses:
            for s in sorted(scores.values(), key=lambda s: s.rule):
                for miss in s.misses:
                    click.echo(f"{s.rule} {miss}")
        if failing:
            click.echo(
                f"Below precision {min_precision} or recall {min_recall}: " + ", ".join(failing)
            )
    sys.exit(1 if failing else 0)


@cli.command()
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="The cache to remove [default: .postmaster-lint-cache].",
)
def clean(cache_dir: Path | None) -> None:
    """Remove the result cache."""
    from .cache import clean as remove
    from .cache import default_directory

    directory = cache_dir or default_directory()
    if remove(directory):
        click.echo(f"Removed {directory}")
    else:
        click.echo(f"No cache at {directory}")


@cli.command()
@click.argument("path", default="-", metavar="[FILE|-]")
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True
)
@_max_file_size_option("Refuse files larger than this (default 2 MiB).", DEFAULT_MAX_BYTES)
def bounce(path: str, output_format: str, max_file_size: int) -> None:
    """Read a rejection, a log line or an NDR: its codes, whose block it is, where to write."""
    from .commands.bounce import read_replies, render_json, render_text

    name, text, replies = read_replies(path, max_file_size)
    if output_format == "json":
        click.echo(render_json(text, replies), nl=False)
    else:
        click.echo(render_text(name, text, replies), nl=False)


@cli.command()
@click.option(
    "--bounce",
    "bounce_path",
    required=True,
    metavar="FILE",
    help="The rejection, log line or NDR the request is about ('-' reads stdin).",
)
@_output_option("Write the draft here instead of standard output.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("txt", "md", "j2")),
    default=None,
    help="Draft format [default: from the output's extension, else txt].",
)
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
def new(bounce_path: str, output_path: Path | None, output_format: str | None, force: bool) -> None:
    """Write a draft request for the provider a bounce names, with fill-in markers."""
    from .commands.bounce import read_replies
    from .scaffold import build, render

    if output_path is not None and output_path.exists() and not force:
        raise UserError("already exists (use --force to overwrite)", str(output_path))
    if output_format is None:
        suffix = output_path.suffix.lower().lstrip(".") if output_path else ""
        output_format = {"md": "md", "markdown": "md", "j2": "j2", "jinja": "j2"}.get(suffix, "txt")
    _, _, replies = read_replies(bounce_path)
    lines = build(replies)
    for line in lines:
        if line.kind == "note":
            click.echo(line.text, err=True)
    draft = render(lines, output_format)
    if output_path is None:
        click.echo(draft, nl=False)
    else:
        from .inputs import write_atomically

        write_atomically(output_path, draft)
        click.echo(f"postmaster-lint: wrote {output_path}", err=True)


@cli.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice((*FORMATS, "markdown")),
    default="text",
    show_default=True,
    help="markdown prints the provider reference (docs/providers.md).",
)
def providers(output_format: str) -> None:
    """List the providers and blocklists postmaster-lint knows."""
    from .commands.provider_list import list_providers

    click.echo(list_providers(output_format), nl=False)


@cli.command(name="check-providers")
@click.argument("directory", type=click.Path(path_type=Path), required=False)
def check_providers(directory: Path | None) -> None:
    """Validate provider data files (default: the built-in ones)."""
    from .commands.provider_list import run_check

    sys.exit(run_check(directory))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a browser.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Use this configuration file instead of searching from here.",
)
@_max_file_size_option(
    "Refuse drafts (request bodies) larger than this (default 2 MiB).", DEFAULT_MAX_BYTES
)
@_timeout_option("Time one lint may take.")
def serve(
    host: str,
    port: int,
    open_browser: bool,
    config_path: Path | None,
    max_file_size: int,
    budget: float,
) -> None:
    """Serve a local page that lints a draft as you type (needs the `web` extra)."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        _fail("serve needs the web extra: pip install 'postmaster-lint[web]'")
    from .web.serve import run

    overrides = _overrides((), (), (), (), None, config_path)
    run(host, port, open_browser, overrides, max_file_size, budget)


@cli.command()
def lsp() -> None:
    """Start the language server on stdin/stdout (for editors)."""
    from .lsp.server import main as serve

    serve()


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: click's own usage errors and our UserErrors become one line and exit 2."""
    try:
        cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="postmaster-lint",
            standalone_mode=False,
        )
        sys.exit(0)
    except click.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError" and exc.ctx:  # bare `postmaster-lint`
            click.echo(exc.ctx.get_help(), err=True)
            sys.exit(2)
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        _fail(f"{exc.format_message().rstrip('.')}{hint}")
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("postmaster-lint: interrupted", err=True)
        sys.exit(130)
    except InputError as exc:
        _fail(exc.render())
    except UserError as exc:
        _fail(exc.render())
    except KeyboardInterrupt:
        click.echo("postmaster-lint: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
