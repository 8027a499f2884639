"""How far long work has got: what seeding and migrations report to, and who shows it.

The work takes a `Progress` and opens a `Task` per phase with its total
(None when unknown), advancing it as it goes. The command line chooses the
reporter (`reporter`):

- in a terminal, `Bars`: rich's progress bars, with the count, the rate and
  the time left;
- otherwise (a log file, a pipe, CI), `Lines`: one line every few seconds
  with the same figures, so a log shows the work is alive;
- with `--quiet`, or when a library caller passes nothing, `SILENT`.

Every reporter but the silent one ends each phase with a summary line: its
count, its time and its rate.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from rich.progress import ProgressColumn
    from rich.progress import Task as RichTask

# Seconds between two lines when not in a terminal.
DEFAULT_EVERY_S = 5.0


class Task(Protocol):
    def advance(self, count: int = 1) -> None: ...

    def finish(self) -> None: ...


class Progress(Protocol):
    def task(self, description: str, total: int | None) -> Task: ...


class Reporter:
    """A progress shown for the length of a `with` block."""

    def task(self, description: str, total: int | None) -> Task:
        raise NotImplementedError

    def __enter__(self) -> Reporter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        pass


class _SilentTask:
    def advance(self, count: int = 1) -> None:
        pass

    def finish(self) -> None:
        pass


class Silent(Reporter):
    def task(self, description: str, total: int | None) -> Task:
        return _SilentTask()


SILENT = Silent()


def _figures(done: int, total: int | None, seconds: float) -> str:
    rate = done / seconds if seconds > 0 else 0.0
    counted = f"{done:,}/{total:,} ({done / total:.0%})" if total else f"{done:,}"
    left = ""
    if total and rate > 0 and done < total:
        left = f", {(total - done) / rate:,.0f} s left"
    return f"{counted}, {rate:,.0f}/s{left}"


def _summary(description: str, done: int, seconds: float) -> str:
    if done <= 1:  # one step: its time is the figure
        return f"{description}: {seconds:.1f} s"
    rate = done / seconds if seconds > 0 else 0.0
    return f"{description}: {done:,} in {seconds:.1f} s ({rate:,.0f}/s)"


class _LineTask:
    def __init__(self, owner: Lines, description: str, total: int | None) -> None:
        self.owner, self.description, self.total = owner, description, total
        self.done = 0
        self.started = self.last = owner.clock()

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = self.owner.clock()
        # The last step's figures are the summary's.
        finished = self.total is not None and self.done >= self.total
        if now - self.last >= self.owner.every and not finished:
            self.last = now
            figures = _figures(self.done, self.total, now - self.started)
            self.owner.write(f"{self.description}: {figures}")

    def finish(self) -> None:
        seconds = self.owner.clock() - self.started
        self.owner.write(_summary(self.description, self.done, seconds))


class Lines(Reporter):
    """A line every `every` seconds while a phase runs, and its summary at the end."""

    def __init__(
        self,
        stream: TextIO,
        every: float = DEFAULT_EVERY_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream, self.every, self.clock = stream, every, clock

    def task(self, description: str, total: int | None) -> Task:
        return _LineTask(self, description, total)

    def write(self, line: str) -> None:
        print(line, file=self.stream, flush=True)


class _BarTask:
    def __init__(self, owner: Bars, description: str, total: int | None) -> None:
        self.owner, self.description = owner, description
        self.id = owner.bars.add_task(description, total=total)
        self.done = 0
        self.started = time.monotonic()

    def advance(self, count: int = 1) -> None:
        self.done += count
        self.owner.bars.advance(self.id, count)

    def finish(self) -> None:
        self.owner.bars.update(self.id, completed=self.done, total=self.done)
        seconds = time.monotonic() - self.started
        self.owner.bars.console.print(_summary(self.description, self.done, seconds))


class Bars(Reporter):
    """rich's progress bars on `stream` (a terminal): count, rate, elapsed and left."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichProgress

        self.bars = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            _rate_column(),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=Console(file=stream),
        )

    def task(self, description: str, total: int | None) -> Task:
        return _BarTask(self, description, total)

    def __enter__(self) -> Bars:
        self.bars.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.bars.stop()


def _rate_column() -> ProgressColumn:
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Items a second, from rich's own estimate over the last moments."""

        def render(self, task: RichTask) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f}/s" if speed else "")

    return RateColumn()


def reporter(quiet: bool, every: float = DEFAULT_EVERY_S, stream: TextIO | None = None) -> Reporter:
    """What the command line shows: bars in a terminal, lines elsewhere, nothing if quiet."""
    stream = stream or sys.stderr
    if quiet:
        return SILENT
    if stream.isatty():
        return Bars(stream)
    return Lines(stream, every)
