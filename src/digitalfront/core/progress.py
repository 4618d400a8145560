"""Progress output for long commands: one line per step on standard error, so that standard output
keeps only the final JSON line."""

import sys
import time
from typing import Any


def _vn(number: int) -> str:
    """Thousands separated by dots, as Vietnamese writes them: 100.000."""
    return f"{number:,}".replace(",", ".")


class Progress:
    """``progress(stage, done, total)`` prints ``stage: done/total (pct%) elapsed``, at most every 0.5 s
    per stage (and always at the end of a stage)."""

    def __init__(self, stream: Any = None, *, quiet: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.started = time.monotonic()
        self._last: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if done < total and now - self._last.get(stage, 0.0) < 0.5:
            return
        self._last[stage] = now
        pct = f" ({100 * done / total:.0f}%)" if total else ""
        self.stream.write(f"{stage}: {_vn(done)}/{_vn(total)}{pct} – {now - self.started:.1f} s\n")
        self.stream.flush()

    def note(self, message: str) -> None:
        if not self.quiet:
            self.stream.write(f"{message} – {time.monotonic() - self.started:.1f} s\n")
            self.stream.flush()
