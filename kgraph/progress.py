"""What a long run tells the person watching it.

The pipeline calls a `Progress` once per input file. The base class does
nothing (library use, tests); `LineProgress` prints each failing file as one
line (`error: FILE: reason`), which is all that appears in pipes and CI;
`BarProgress` adds a progress bar (rich) when standard error is a terminal.
The one-line summary at the end is the command's job (BuildReport.summary).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import IO


class Progress:
    """Receives the progress of a run; this one ignores it."""

    def start(self, total: int) -> None:
        """`total` input files are about to be read."""

    def advance(self, path: Path, error: str = "") -> None:
        """One input file is done; `error` is the one-line reason when it failed."""

    def close(self) -> None:
        """The run is over (also after an error)."""


class LineProgress(Progress):
    """No bar: each failure as one line on `stream` (standard error by default)."""

    def __init__(self, stream: IO[str] | None = None):
        self.stream = stream

    def advance(self, path: Path, error: str = "") -> None:
        if error:
            self.print(f"error: {error}")

    def print(self, line: str) -> None:
        stream = self.stream or sys.stderr
        stream.write(line + "\n")
        stream.flush()


class BarProgress(LineProgress):
    """A progress bar on the terminal, failures printed above it; the bar is gone when the run ends."""

    def __init__(self, stream: IO[str] | None = None):
        super().__init__(stream)
        self._bar = None
        self._task = None

    def start(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn, \
            TimeRemainingColumn

        console = Console(file=self.stream or sys.stderr, highlight=False)
        self._bar = RichProgress(TextColumn("kgraph"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                                 TextColumn("{task.description}"), console=console, transient=True)
        self._bar.start()
        self._task = self._bar.add_task("", total=total)

    def advance(self, path: Path, error: str = "") -> None:
        super().advance(path, error)
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=_short(path.name))

    def print(self, line: str) -> None:
        if self._bar is None:
            super().print(line)
        else:
            self._bar.console.print(line, markup=False, highlight=False, soft_wrap=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def for_terminal(stream: IO[str] | None = None, bar: bool | None = None) -> Progress:
    """A bar when `stream` (standard error) is a terminal, else failure lines only.

    `bar=False` never draws one (`--no-progress`); `bar=True` always does.
    """
    stream = stream or sys.stderr
    if bar is None:
        bar = _is_terminal(stream)
    return BarProgress(stream) if bar else LineProgress(stream)


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _short(name: str, width: int = 40) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"
