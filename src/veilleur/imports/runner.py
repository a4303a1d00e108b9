"""Drive a reader into the store: batches, progress and the summary the user reads."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veilleur.i18n import t
from veilleur.imports.records import ProgressFn, Reader, Rejection
from veilleur.imports.seen import SeenKeys
from veilleur.model import POST_WRITE_ERRORS, Post
from veilleur.store import SQLiteStore, WriteResult
from veilleur.store.prepared import AnalysisError, AnalysisPool, Pending, Prepared

BATCH_SIZE = 2000
POOL_THRESHOLD = 4000
"""Posts an import reads before its analysis goes to a worker process: below it, the
worker's start (~0.25 s of CPU, and the first answers wait for it) costs more than the
~50 µs a post it saves this process (benchmarks/README.md, "Analysis in a worker process";
an estimate: on the loaded 2-core machine of that session no core was idle to measure it).
Also two batches held before the first is written."""

# What one post that the store cannot take raises (see model.POST_WRITE_ERRORS); a full
# disk or a locked database is not one post's fault and ends the import as before.
_RECORD_ERRORS = POST_WRITE_ERRORS
MAX_REJECTIONS_KEPT = 1000


@dataclass(slots=True)
class RejectionGroup:
    """The rejections that share one reason: the first one's place and how many."""

    where: str
    reason: str
    count: int = 1


@dataclass(slots=True)
class ImportSummary:
    """read / new / updated / already known / rejected, and the first rejections.

    ``duplicates`` counts the records of a file whose post came earlier in the same file
    (the first is kept). ``text_kept`` counts the posts already stored with another text:
    the stored text is kept, never replaced (docs/internals/imports.md says why);
    ``updated`` means refreshed counts only.

    ``groups`` gathers the rejections by reason (in the order met, at most
    :data:`MAX_REJECTIONS_KEPT` reasons), so that 423 rows rejected for one reason are one
    line for the user, not 423.
    """

    files: list[str] = field(default_factory=list)
    read: int = 0
    new: int = 0
    updated: int = 0
    known: int = 0
    rejected: int = 0
    duplicates: int = 0
    text_kept: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    groups: dict[str, RejectionGroup] = field(default_factory=dict)

    def add_write(self, result: WriteResult) -> None:
        self.new += result.new
        self.updated += result.updated
        self.known += result.known

    def reject(self, rejection: Rejection) -> None:
        self.rejected += 1
        if len(self.rejections) < MAX_REJECTIONS_KEPT:
            self.rejections.append(rejection)
        group = self.groups.get(rejection.reason)
        if group is not None:
            group.count += 1
        elif len(self.groups) < MAX_REJECTIONS_KEPT:
            self.groups[rejection.reason] = RejectionGroup(rejection.where, rejection.reason)

    def to_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "read": self.read,
            "new": self.new,
            "updated": self.updated,
            "known": self.known,
            "rejected": self.rejected,
            "duplicates": self.duplicates,
            "text_kept": self.text_kept,
            "rejections": [{"where": r.where, "reason": r.reason} for r in self.rejections],
            "rejection_groups": [
                {"where": g.where, "reason": g.reason, "count": g.count}
                for g in self.groups.values()
            ],
        }


class Analysis:
    """Where an import analyses its posts (language, search index values): in this process,
    or — once an import is known to be large — in ``workers`` worker processes that
    analyse each batch while this process parses and writes the one before
    (:mod:`veilleur.store.prepared`). Shared by the files of one command; close it (or use
    it as a context manager) to stop the workers.

    ``workers`` 0: always here. ``threshold``: the posts an import reads before its
    batches go to the workers (below it, starting a worker costs more than it saves); the
    workers, once started, serve the following files too."""

    def __init__(
        self, store: SQLiteStore, workers: int = 1, threshold: int = POOL_THRESHOLD
    ) -> None:
        self.store = store
        self.workers = max(0, workers)
        self.threshold = threshold
        self.pool: AnalysisPool | None = None

    @property
    def undecided(self) -> bool:
        """Whether batches are held until the import proves large (or ends)."""
        return self.pool is None and self.workers > 0

    @property
    def depth(self) -> int:
        """Batches read ahead of the one written: one per worker."""
        return 0 if self.pool is None else self.workers

    def start(self) -> AnalysisPool | None:
        """The workers, started on first call; None when they cannot be (no Python to
        run them: the analysis stays in this process)."""
        if self.pool is None and self.workers > 0:
            try:
                self.pool = self.store.analysis_pool(self.workers)
            except OSError:
                self.workers = 0
        return self.pool

    def close(self) -> None:
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.close()

    def __enter__(self) -> Analysis:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def import_file(
    store: SQLiteStore,
    path: Path,
    reader: Reader,
    summary: ImportSummary,
    *,
    progress: ProgressFn | None = None,
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[], None] | None = None,
    analysis: Analysis | None = None,
) -> None:
    """Read ``path`` with ``reader`` and write its posts in committed batches.

    Each batch is one transaction, so an interruption keeps every batch already written
    and nothing of the batch in hand; importing again completes the set. Batches are
    written in the order read, whoever analyses them (``analysis``; without it, one of
    its own: a worker process for an import above :data:`POOL_THRESHOLD` posts, stopped at
    the end). With workers, a batch is written once the next one is read (or the file
    ends): the next is analysed meanwhile.
    """
    own = analysis is None
    if analysis is None:
        analysis = Analysis(store)
    try:
        _import(store, path, reader, summary, progress, batch_size, on_batch, analysis)
    finally:
        if own:
            analysis.close()


def _batches(
    path: Path,
    reader: Reader,
    summary: ImportSummary,
    progress: ProgressFn | None,
    batch_size: int,
) -> Iterator[list[Post]]:
    """The file's posts in batches, rejections and repeats counted in ``summary``."""
    batch: list[Post] = []
    # The posts met so far in this file, by the hash of (network, id): ~8 bytes a post, not
    # the keys themselves (a collision, one in 10^19 pairs, would count one post as a
    # duplicate).
    seen = SeenKeys()
    for record in reader(path, progress):
        summary.read += 1
        if isinstance(record, Rejection):
            summary.reject(record)
            continue
        if not seen.add(hash((record.network, record.id))):
            summary.duplicates += 1
            continue
        batch.append(record)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _import(
    store: SQLiteStore,
    path: Path,
    reader: Reader,
    summary: ImportSummary,
    progress: ProgressFn | None,
    batch_size: int,
    on_batch: Callable[[], None] | None,
    analysis: Analysis,
) -> None:
    summary.files.append(str(path))
    # Batches read and not written yet, each with its analysis when a worker has it.
    waiting: deque[tuple[list[Post], Pending | None]] = deque()
    held = 0

    def write_oldest() -> None:
        batch, pending = waiting.popleft()
        prepared = None
        if pending is not None:
            try:
                prepared = pending.result()
            except AnalysisError as exc:
                raise AnalysisError(
                    t(
                        "{reason} while {file} was imported ({n} records read; the batches "
                        "before are stored): import it again, or set "
                        "import.analysis_workers to 0 to analyse in this process",
                        reason=str(exc),
                        file=path,
                        n=summary.read,
                    )
                ) from None
        _write(store, batch, summary, path, prepared)
        if on_batch is not None and len(batch) >= batch_size:  # not after the last, partial
            on_batch()

    batches = _batches(path, reader, summary, progress, batch_size)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            break
        except Exception:
            # A reader's error (a file cut short…): the whole batches read before it are
            # stored, as when each was written at once.
            while waiting:
                write_oldest()
            raise
        if analysis.undecided:
            waiting.append((batch, None))
            held += len(batch)
            if held < analysis.threshold:
                continue
            pool = analysis.start()
            if pool is not None:
                for i, (held_batch, _none) in enumerate(waiting):
                    waiting[i] = (held_batch, pool.submit(held_batch))
        elif analysis.pool is not None:
            waiting.append((batch, analysis.pool.submit(batch)))
        else:
            waiting.append((batch, None))
        while len(waiting) > analysis.depth:
            write_oldest()
    while waiting:
        write_oldest()


def _write(
    store: SQLiteStore,
    batch: list[Post],
    summary: ImportSummary,
    path: Path,
    prepared: Prepared | None = None,
) -> None:
    """Write a batch; if one of its posts cannot be stored, write them one by one so that
    only that post is lost (a rejection naming it) and the good ones are kept."""
    try:
        result = store.write_posts(batch, prepared=prepared)
        summary.add_write(result)
        if result.new < len(batch):
            summary.text_kept += _texts_kept(store, batch)
        return
    except _RECORD_ERRORS:
        pass  # the batch was rolled back whole: retry it post by post
    for post in batch:
        try:
            summary.add_write(store.write_posts([post], prepared=prepared))
        except _RECORD_ERRORS as exc:
            summary.reject(
                Rejection(
                    t("{file} (post {id})", file=path, id=post.id),
                    t("cannot be stored: {reason}", reason=str(exc) or type(exc).__name__),
                )
            )


def _texts_kept(store: SQLiteStore, batch: list[Post]) -> int:
    """How many posts of a batch were stored before with another text (kept as stored).

    Only run when some posts of the batch were known: a first import pays nothing.
    """
    kept = 0
    for post in batch:
        stored = store.get_post(post.network, post.id)
        if stored is not None and stored.text != post.text:
            kept += 1
    return kept
