"""`postmaster-lint lint`: find each path's settings, read it, take its findings from the cache
or lint it (in parallel when there are many), keep going past files that cannot be read or
configured. Nothing here imports spaCy until a file actually needs linting."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from .. import cache as result_cache
from ..config import LintConfig, resolve
from ..configfile import ProjectConfig
from ..errors import UserError
from ..inputs import DEFAULT_MAX_BYTES, STDIN, Draft, expand_paths, is_draft_name, read_draft
from ..results import FileResult
from ..rules import Rule, RuleSet, builtin_rules_dir, rules_once
from ..runner import LintJob
from ..settings import Overrides, Settings, SettingsResolver, merge

PROGRESS_MIN_FILES = 20
DEFAULT_BUDGET = 10.0  # seconds a single file may take
PARALLEL_MIN_FILES_PER_JOB = 4  # below this, starting workers costs more than it saves
CHUNK_FILES = 16  # files per unit of parallel work, at most about


@dataclass(frozen=True)
class RunOptions:
    max_bytes: int = DEFAULT_MAX_BYTES
    stdin_filename: str | None = None
    jobs: int | None = None  # None: the cores available
    cache_dir: Path | None = None  # None: no cache
    budget: float | None = DEFAULT_BUDGET  # seconds per file


@dataclass
class _Pending:
    index: int
    draft: Draft
    settings: Settings
    digest: str | None


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def rules_for(rule_dirs: tuple[Path, ...]) -> RuleSet:
    return rules_once([builtin_rules_dir(), *rule_dirs])


def check_config(config: LintConfig, cache_dir: Path | None = None) -> RuleSet:
    """Validate rules and options without building the NLP pipeline."""
    if cache_dir is not None:
        rules = result_cache.cached_rules(config.rule_dirs, cache_dir)
    else:
        rules = rules_for(config.rule_dirs)
    resolve(config, rules)
    return rules


def run_lint(
    paths: list[str], overrides: Overrides, options: RunOptions | None = None
) -> tuple[list[FileResult], list[Rule]]:
    """Results in the order the paths were given, and every rule that could have fired."""
    options = options or RunOptions()
    # Problems with the command line's own rules or options end the run before any file is read.
    base_config = merge(ProjectConfig(), overrides).lint
    base = check_config(base_config, options.cache_dir)
    rules: dict[str, Rule] = {rule.id: rule for rule in base}
    resolver = SettingsResolver(overrides)
    store = result_cache.ResultCache(options.cache_dir) if options.cache_dir else None
    # Per run, each distinct configuration is checked, and its rule files hashed, once.
    checked: dict[LintConfig, RuleSet] = {base_config: base}
    fingerprints: dict[tuple[Path, ...], str] = {}

    def wanted(path: str) -> bool:
        try:
            project = resolver.for_path(path).project
        except UserError:
            return True  # linting it will report the configuration error
        included = project.included(path)
        return not project.excluded(path) and (
            included if included is not None else is_draft_name(path)
        )

    items: list[str | UserError] = list(expand_paths(paths, wanted))
    results: list[FileResult | None] = [None] * len(items)
    pending: list[_Pending] = []
    for index, item in enumerate(_progress(items)):
        if isinstance(item, UserError):
            results[index] = FileResult(item.path or "?", error=item)
            continue
        # stdin is read, configured and reported as --stdin-filename when that is given.
        name = options.stdin_filename if item == STDIN and options.stdin_filename else item
        try:
            settings = resolver.for_path(None if name == STDIN else name)
            if name != STDIN and settings.project.excluded(name):
                continue  # pre-commit passes excluded files by name: respect `exclude`
            if settings.lint not in checked:
                checked[settings.lint] = check_config(settings.lint, options.cache_dir)
                rules.update((rule.id, rule) for rule in checked[settings.lint])
            draft = read_draft(item, options.max_bytes, display_name=name)
        except UserError as exc:
            results[index] = FileResult(item, error=exc)
            continue
        digest = None
        if store is not None:
            dirs = settings.lint.rule_dirs
            if dirs not in fingerprints:
                fingerprints[dirs] = result_cache.rules_fingerprint(dirs)
            digest = result_cache.key(LintJob.of(draft, settings), fingerprints[dirs])
            cached = store.get(digest, draft.path)
            if cached is not None:
                results[index] = FileResult(
                    draft.path,
                    cached[0],
                    checklist=cached[1],
                    fail_on=settings.fail_on,
                    source=draft.text,
                )
                continue
        pending.append(_Pending(index, draft, settings, digest))
    done = _lint_all(pending, options.jobs, options.budget)
    for job, result in zip(pending, done, strict=True):
        results[job.index] = result
        if store is not None and job.digest is not None and result.error is None:
            store.put(job.digest, result.diagnostics, result.checklist)
    # Sorted by path: the same files give byte-identical output in any order they were named.
    done = sorted((result for result in results if result is not None), key=lambda r: r.path)
    return done, sorted(rules.values(), key=lambda rule: rule.id)


def _lint_all(
    pending: Sequence[_Pending], jobs: int | None, budget: float | None = None
) -> list[FileResult]:
    if not pending:
        return []
    from ..api import rules_held  # the first point at which spaCy is needed

    with rules_held():  # one run: the rule files are stat'ed once, not before every draft
        return _lint_pending(pending, jobs, budget)


def _lint_pending(
    pending: Sequence[_Pending], jobs: int | None, budget: float | None
) -> list[FileResult]:
    from ..api import get_linter

    for settings in {job.settings.lint for job in pending}:
        get_linter(settings)  # build once here; forked workers inherit it
    workers = min(jobs or available_cores(), len(pending) // PARALLEL_MIN_FILES_PER_JOB)
    work = [(job.draft, job.settings, budget) for job in pending]
    if workers <= 1:
        return _lint_chunk(work)
    import multiprocessing  # only a parallel run pays for these imports
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # Many small chunks: balanced between workers, and Ctrl-C waits for one chunk at most.
    chunks = _chunks(work, max(workers * 4, len(work) // CHUNK_FILES))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_interrupts) as pool:
        try:
            with _interrupts_held():  # the workers are forked here
                done = pool.map(_lint_chunk, chunks)
            return [result for chunk in done for result in chunk]
        except KeyboardInterrupt:
            # The workers ignore Ctrl-C: drop the chunks not started, finish the short ones
            # under way (killing workers leaves the pool's pipes broken at exit).
            pool.shutdown(wait=True, cancel_futures=True)
            raise


Work = tuple[Draft, Settings, float | None]


def _lint_chunk(work: Sequence[Work]) -> list[FileResult]:
    from ..runner import lint_draft

    results = []
    for draft, settings, budget in work:
        try:
            results.append(lint_draft(draft, settings, budget))
        except UserError as exc:  # e.g. a custom rule pack that fails to compile
            results.append(FileResult(draft.path, error=exc))
    return results


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C while worker processes are forked: one arriving inside the fork handlers
    is swallowed there with a traceback; held, it arrives just after, as a clean interrupt."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):  # Windows: nothing to hold
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent, which stops them and exits with 130."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _chunks(work: Sequence[Work], count: int) -> list[Sequence[Work]]:
    size = max(1, -(-len(work) // count))
    return [work[start : start + size] for start in range(0, len(work), size)]


def _progress(items: list[str | UserError]) -> Iterable[str | UserError]:
    """A progress bar on stderr for long runs in a terminal; never in pre-commit, CI or pipes."""
    if len(items) < PROGRESS_MIN_FILES or os.environ.get("CI") or not sys.stderr.isatty():
        return items
    return _with_bar(items)


def _with_bar(items: list[str | UserError]) -> Iterator[str | UserError]:
    with click.progressbar(items, label="Linting", file=sys.stderr) as bar:
        yield from bar
