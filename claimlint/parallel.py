"""``--jobs``: files checked by worker processes, results yielded in the order of the files.

Workers are forked from a parent whose pipeline and rules are ready, so they start warm; where
fork is unavailable each worker builds its own linter from the parent's settings.

A worker the system kills (out of memory, a signal) costs its batch, not the run: the pool is
started again and the batch retried alone, then file by file; a file that stops a worker twice
on its own is reported as not checked.
"""
from __future__ import annotations

from collections import deque
from typing import Any, Iterator, Protocol

from .findings import FileError, FileResult

MAX_ATTEMPTS = 2  # a file that stops a worker this many times on its own is not checked


class Checker(Protocol):
    """What the workers need of a :class:`~claimlint.linter.Linter`."""

    settings: Any
    cache: Any

    def warm(self) -> None: ...

    def check_file(self, path: str) -> FileResult: ...


_worker: Checker | None = None
_parent: Checker | None = None  # inherited by forked workers, pipeline and rules ready


def _init(factory, settings, cache: bool) -> None:
    global _worker
    if _parent is not None:
        _worker = _parent
        return
    _worker = factory(settings, cache=cache)


def _check(paths: list[str]) -> list[FileResult]:
    assert _worker is not None
    return [_worker.check_file(p) for p in paths]


def _discard(pool) -> None:
    """Stop a pool whose work ended early (a worker died, an error, a consumer that stopped):
    waiting for it can hang -- its manager thread may never learn that a queue's reader is gone --
    and a worker left running would outlive the command, holding its output open. So its workers
    are killed (taken before ``shutdown``, which forgets them)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    kill = getattr(pool, "kill_workers", None)  # Python 3.14
    if kill is not None:
        kill()
    for proc in procs:
        try:
            proc.kill()
        except (OSError, ValueError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        try:
            proc.join(5)
        except (OSError, ValueError, AssertionError):
            pass


def _stopped(path: str) -> FileResult:
    from .discovery import display_path

    shown = display_path(path)
    return FileResult(shown, errors=[FileError(
        shown, "the worker process checking it was stopped by the system (out of memory, or a "
               "signal); not checked")])


def check_in_workers(linter: Checker, files: list[str], jobs: int) -> Iterator[FileResult]:
    """Results of ``files`` checked by ``jobs`` worker processes, in order, with a bounded queue.

    Files go to the workers in small batches: one task per file costs the parent a round trip per
    file, and on a machine with as many workers as cores the parent's time is taken from them."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _parent
    try:
        ctx = multiprocessing.get_context("fork")
        # Build the pipeline and every rule's matchers once, here: forked workers inherit them
        # instead of each importing spaCy and compiling the packs again.
        linter.warm()
        _parent = linter
    except ValueError:  # pragma: no cover - platforms without fork
        ctx = multiprocessing.get_context("spawn")
    # Enough batches to keep every worker busy to the end, none larger than 16 files.
    size = max(1, min(16, len(files) // (jobs * 8)))
    todo: deque[list[str]] = deque(files[i:i + size] for i in range(0, len(files), size))
    attempts: dict[str, int] = {}
    solo = False  # after a worker was stopped: the first batch runs alone, so a stop names it
    while todo:
        window = 1 if solo else jobs * 4
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init,
                                   initargs=(type(linter), linter.settings,
                                             linter.cache is not None))
        broken = False
        clean = False  # True once this pool's work ended without an exception
        try:
            submitted: deque = deque()  # futures of todo[0], todo[1], ...
            while todo:
                while len(submitted) < min(window, len(todo)):
                    submitted.append(pool.submit(_check, todo[len(submitted)]))
                results = submitted[0].result()
                submitted.popleft()
                todo.popleft()
                yield from results
                if solo:
                    break  # the batch alone went through: back to the full window
            clean = True
        except BrokenProcessPool:
            broken = True
        finally:
            if clean:
                pool.shutdown(wait=True, cancel_futures=True)
            else:  # a dead worker, an error or a consumer that stopped early: waiting can hang
                _discard(pool)
        if not broken:
            solo = False
            continue
        if not solo:
            solo = True  # try the first batch again, alone
            continue
        batch = todo.popleft()
        if len(batch) > 1:
            todo.extendleft(reversed([[p] for p in batch]))  # then file by file
            continue
        path = batch[0]
        attempts[path] = attempts.get(path, 0) + 1
        if attempts[path] >= MAX_ATTEMPTS:
            yield _stopped(path)
        else:
            todo.appendleft(batch)
