"""``--jobs``: files checked by worker processes, results yielded in the order of the files.

Workers are forked from a parent whose pipeline and rules are ready, so they start warm; where
fork is unavailable each worker builds its own linter from the parent's settings.
"""
from __future__ import annotations

from typing import Any, Iterator, Protocol

from .findings import FileResult


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


def check_in_workers(linter: Checker, files: list[str], jobs: int) -> Iterator[FileResult]:
    """Results of ``files`` checked by ``jobs`` worker processes, in order, with a bounded queue.

    Files go to the workers in small batches: one task per file costs the parent a round trip per
    file, and on a machine with as many workers as cores the parent's time is taken from them."""
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

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
    batches = (files[i:i + size] for i in range(0, len(files), size))
    window = jobs * 4
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init,
                             initargs=(type(linter), linter.settings, linter.cache is not None)) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append(pool.submit(_check, batch))
            if len(pending) >= window:
                break
        while pending:
            results = pending.popleft().result()
            nxt = next(batches, None)
            if nxt is not None:
                pending.append(pool.submit(_check, nxt))
            yield from results
