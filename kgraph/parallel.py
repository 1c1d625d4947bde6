"""Extraction on several local processes (`--jobs N`) or on a Dask cluster (`--engine dask`).

Documents are independent, so extraction is spread over workers in *batches* of
documents (tens to hundreds of kilobytes of text each, never one task per
sentence or per small file); everything else stays in the calling process:

- the calling process reads the files (in input order, so document ids,
  `--update`'s checksum test and error lines are what one process gives) and
  sends the decoded documents, so cluster workers need no access to the files;
- workers extract and normalise (pipeline.extract_document) and send back the
  assignments;
- results are gathered as they complete and handed on in input order, so the
  outputs are byte for byte those of `--jobs 1`.

Memory stays flat: at most a few batches per worker are in flight, and a batch
is read only when one is handed on. Local workers are started with the
forkserver method (spawn where it is missing), each builds its extractor once.
A Dask cluster (dask.distributed, `pip install 'kgraph[dask]'`) is reached at
`--scheduler ADDRESS` (or $DASK_SCHEDULER_ADDRESS); its workers need kgraph
installed, the same version. Extra lexicon files are read here and shipped to
the workers once.
"""
from __future__ import annotations

import os
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from .model import Assignment, Document, DocumentResult, KgraphError

if TYPE_CHECKING:
    from .extract import Extractor
    from .lexicon import Lexicon
    from .read import ReadResult

ENGINES = ("local", "dask")
MIN_BATCH_BYTES = 32_000
MAX_BATCH_BYTES = 2_000_000
BATCHES_PER_WORKER = 8    # batches per worker over the whole corpus, for balance (within the bounds above)
IN_FLIGHT_PER_WORKER = 2  # batches sent ahead per worker: keeps workers busy, bounds memory
DASK_INSTALL = "pip install 'kgraph[dask]'"
CONNECT_TIMEOUT = "10s"  # to reach the Dask scheduler

# what one worker sends back per document: (sentences, assignments, error)
Outcome = tuple[int, list[Assignment], str]


def default_jobs() -> int:
    """The CPUs this process may use (`--jobs 0`)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_engine(jobs: int, engine: str, scheduler: str | None) -> tuple[int, str]:
    """The (jobs, engine) to run with; one-line errors for impossible combinations."""
    if scheduler and engine == "local":
        raise KgraphError("--scheduler is the address of a Dask scheduler; use it with --engine dask")
    if engine not in ENGINES:
        raise KgraphError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if jobs < 0:
        raise KgraphError("--jobs must be 0 (every CPU) or more")
    return (jobs or default_jobs()), engine


def is_parallel(jobs: int, engine: str) -> bool:
    return engine != "local" or jobs != 1


# ---------------------------------------------------------------- the calling process

@dataclass
class _Batch:
    items: list[tuple["ReadResult", bool]] = field(default_factory=list)  # every input item, in order
    size: int = 0  # bytes of text to extract
    future: object = None  # the workers' answer for the wanted documents, None when there are none

    def documents(self) -> list[tuple[Document, str]]:
        return [(item.document, str(item.path)) for item, want in self.items if want]


def parallel_extractor(lexicon_files: Sequence[str] = (), jobs: int = 1, engine: str = "local",
                       scheduler: str | None = None):
    """Check the options and lexicons now; return `extract(items, files)` for pipeline.process.

    `extract` takes (ReadResult, wanted) pairs and yields (item, result, error) for each, in their
    order: wanted documents extracted by the workers, the others passed through with no result.
    `files` (the input files) give the total size, which sets the batch size.
    """
    from .lexicon import load_lexicon

    jobs, engine = check_engine(jobs, engine, scheduler)
    lexicon_files = tuple(str(f) for f in lexicon_files)
    lexicon = load_lexicon(lexicon_files)  # a bad lexicon row is reported here, before any worker starts

    def extract(items: Iterable[tuple["ReadResult", bool]], files: Sequence[Path]):
        with (_DaskWorkers(scheduler, lexicon_files, lexicon) if engine == "dask"
              else _LocalWorkers(jobs, lexicon_files)) as workers:
            total = sum(_size(f) for f in files)
            batch_bytes = min(MAX_BATCH_BYTES, max(MIN_BATCH_BYTES, total // (workers.count * BATCHES_PER_WORKER)))
            yield from _ordered(_batches(items, batch_bytes), workers, workers.count * IN_FLIGHT_PER_WORKER)

    return extract


def _batches(items: Iterable[tuple["ReadResult", bool]], batch_bytes: int) -> Iterator[_Batch]:
    batch = _Batch()
    for item, want in items:
        batch.items.append((item, want))
        if want:
            batch.size += len(item.document.text.encode("utf-8", "surrogatepass"))
        if batch.size >= batch_bytes:
            yield batch
            batch = _Batch()
    if batch.items:
        yield batch


def _ordered(batches: Iterator[_Batch], workers, in_flight: int):
    """Send batches ahead (at most `in_flight` unfinished), hand on their outcomes in input order."""
    waiting: deque[_Batch] = deque()  # sent (or with nothing to send), in input order
    pending: set = set()
    exhausted = False
    while True:
        while not exhausted and len(pending) < in_flight and len(waiting) < 2 * in_flight:
            batch = next(batches, None)
            if batch is None:
                exhausted = True
                break
            documents = batch.documents()
            if documents:
                batch.future = workers.submit(documents)
                pending.add(batch.future)
            waiting.append(batch)
        if not waiting:
            return
        head = waiting[0]
        if head.future is not None and head.future in pending:
            done = workers.wait(pending)  # gather whatever finished first
            pending -= done
            if head.future in pending:
                continue
        waiting.popleft()
        outcomes = iter(workers.result(head.future) if head.future is not None else ())
        head.future = None
        for item, want in head.items:
            if not want:
                yield item, None, item.error
                continue
            sentences, assignments, error = next(outcomes)
            result = None if error else DocumentResult(item.document, sentences, assignments)
            yield item, result, error


class _LocalWorkers:
    """N processes of this machine (concurrent.futures)."""

    def __init__(self, jobs: int, lexicon_files: tuple[str, ...]):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        context = multiprocessing.get_context(method)
        if method == "forkserver":
            context.set_forkserver_preload(["kgraph.parallel", "kgraph.extract"])
        self.count = jobs
        self.lexicon_files = lexicon_files
        self.pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_warm,
                                        initargs=(lexicon_files,))

    def submit(self, documents):
        return self.pool.submit(extract_batch, documents, self.lexicon_files)

    def wait(self, pending: set) -> set:
        from concurrent.futures import FIRST_COMPLETED, wait

        return wait(pending, return_when=FIRST_COMPLETED).done

    def result(self, future) -> list[Outcome]:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return future.result()
        except BrokenProcessPool:
            raise KgraphError("a worker process died: out of memory (run again with fewer --jobs), or a script "
                              "that runs kgraph with jobs > 1 lacks the `if __name__ == \"__main__\":` guard") from None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class _DaskWorkers:
    """The workers of an existing Dask cluster (dask.distributed)."""

    def __init__(self, scheduler: str | None, lexicon_files: tuple[str, ...], lexicon: "Lexicon"):
        try:
            from distributed import Client, as_completed
        except ImportError:
            raise KgraphError(f"--engine dask needs Dask's distributed scheduler: {DASK_INSTALL}") from None
        address = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS")
        if not address:
            raise KgraphError("--engine dask needs --scheduler ADDRESS, the address of a running Dask scheduler "
                              "(e.g. tcp://10.0.0.5:8786; start one with `dask scheduler` and `dask worker`)")
        try:
            self.client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as err:
            raise KgraphError(f"cannot connect to the Dask scheduler at {address}: {_one_line(err)}") from None
        try:
            self.client.wait_for_workers(1, timeout=60)
        except (OSError, TimeoutError) as err:
            self.client.close()
            raise KgraphError(f"the Dask scheduler at {address} has no workers ({_one_line(err)}); "
                              f"start some with `dask worker {address}`") from None
        self.address = address
        self.count = max(1, sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values()))
        self.lexicon_files = lexicon_files
        # the extra lexicons travel once to every worker; the bundled ones are in the workers' kgraph
        self.lexicon = self.client.scatter(lexicon, broadcast=True) if lexicon_files else None
        self.key = _lexicon_key(lexicon) if lexicon_files else ""
        self.completed = as_completed(loop=self.client.loop)

    def submit(self, documents):
        future = self.client.submit(extract_batch, documents, self.lexicon_files, self.key, self.lexicon, pure=False)
        self.completed.add(future)
        return future

    def wait(self, pending: set) -> set:
        return {next(self.completed)}  # the next task to finish, whichever it is

    def result(self, future) -> list[Outcome]:
        try:
            return future.result()
        except KgraphError:
            raise
        except Exception as err:  # the worker's exception, re-raised here by dask
            raise KgraphError(f"a Dask task failed on the cluster at {self.address} ({type(err).__name__}: "
                              f"{_one_line(err)}); do the workers have kgraph {_version()} installed?") from None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()


# ---------------------------------------------------------------- the workers

_EXTRACTORS: dict[str, "Extractor"] = {}
_LOCK = threading.Lock()  # a Dask worker may run tasks on several threads: one extraction at a time


def _warm(lexicon_files: tuple[str, ...]) -> None:
    """Build the worker's extractor (jieba's dictionary, the lexicons) before the first batch arrives.

    Ctrl-C is for the calling process, which stops the pool: a worker finishes its batch quietly."""
    import signal

    from .extract import extractor_for

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    extractor_for(lexicon_files)


def extract_batch(documents: list[tuple[Document, str]], lexicon_files: tuple[str, ...] = (),
                  key: str = "", lexicon: "Lexicon | None" = None) -> list[Outcome]:
    """Extract a batch of (document, path): (sentences, assignments, error) for each, in order.

    The extractor is the worker's own, built once: from `lexicon_files`, or from `lexicon` (shipped by
    the client, cached under `key`) when given.
    """
    from .pipeline import extract_document

    with _LOCK:
        extractor = _extractor(lexicon_files, key, lexicon)
        out: list[Outcome] = []
        for document, path in documents:
            result, error = extract_document(extractor, document, path)
            out.append((result.sentences, result.assignments, "") if result is not None else (0, [], error))
        return out


def _extractor(lexicon_files: tuple[str, ...], key: str, lexicon: "Lexicon | None") -> "Extractor":
    from .extract import Extractor, extractor_for

    if lexicon is None:
        return extractor_for(lexicon_files)
    if key not in _EXTRACTORS:
        _EXTRACTORS[key] = Extractor(lexicon)
    return _EXTRACTORS[key]


def _lexicon_key(lexicon: "Lexicon") -> str:
    import hashlib
    import pickle

    return hashlib.sha256(pickle.dumps(lexicon)).hexdigest()


def _version() -> str:
    from . import __version__

    return __version__


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split())[:300] or type(err).__name__
