"""The benchmark's tables, as aligned text for the terminal and as Markdown for the README."""
from __future__ import annotations

from dataclasses import dataclass

from bench.cases import Target
from bench.counting import Weight
from bench.load import LoadResult
from bench.xlsx_import import ImportTiming

IMPORT_LIMIT_SECONDS = 10


@dataclass
class Line:
    """One measured request."""

    label: str
    load: LoadResult
    hello: LoadResult  # the bare route, same run
    target: Target | None = None
    queries: tuple[int, int] | None = None  # SQL statements of a first and of a second request
    alone: bool = False  # too slow to load: one request, timed on its own
    is_hello: bool = False

    @property
    def ratio(self) -> float:
        return self.load.per_second / self.hello.per_second if self.hello.per_second else 0.0

    def verdict(self) -> str:
        if not self.load.requests:
            return "no answer during the run"
        if self.load.errors:
            return f"{self.load.errors} errors"
        if self.alone:
            took = f"one request alone took {self.load.max_ms / 1000:.1f} s"
            if self.target is None or self.target.p95_ms is None:
                return took
            return f"missed: {took}, {self.load.max_ms / self.target.p95_ms:.0f}× the limit"
        if self.target is None:
            return "—"
        if self.target.met(self.load.p95_ms, self.ratio):
            return "met"
        return f"missed: {self.target.shortfall(self.load.p95_ms, self.ratio)}"


LOAD_HEADER = ("Request", "req/s", "p50 ms", "p95 ms", "p99 ms", "× hello", "SQL", "KB/resp", "Target", "Result")


def _queries(counts: tuple[int, int] | None) -> str:
    if counts is None:
        return ""
    first, second = counts
    return str(first) if first == second else f"{first}→{second}"


def load_rows(lines: list[Line]) -> list[tuple[str, ...]]:
    rows = []
    for line in lines:
        r = line.load
        size = r.bytes / r.requests / 1024 if r.requests else 0
        rows.append((line.label, "—" if line.alone else f"{r.per_second:,.0f}", f"{r.p50_ms:.1f}",
                     f"{r.p95_ms:.1f}", f"{r.p99_ms:.1f}",
                     "1" if line.is_hello else "—" if line.alone else f"{line.ratio:.2f}", _queries(line.queries),
                     f"{size:,.1f}",
                     line.target.text if line.target else "", "" if line.is_hello else line.verdict()))
    return rows


WEIGHT_HEADER = ("Public page", "page KB", "CSS KB", "scripts KB", "total KB", "gzip total KB")


def weight_rows(weights: dict[str, Weight]) -> list[tuple[str, ...]]:
    return [(label, f"{w.page / 1024:.1f}", f"{w.css / 1024:.1f}", f"{w.js / 1024:.1f}", f"{w.total / 1024:.1f}",
             f"{w.gzipped / 1024:.1f}") for label, w in weights.items()]


IMPORT_HEADER = ("XLSX import", "check s", "import s", "total s", "Target", "Result")


def import_rows(timing: ImportTiming) -> list[tuple[str, ...]]:
    met = timing.seconds < IMPORT_LIMIT_SECONDS
    return [(f"{timing.rows:,} new businesses", f"{timing.check_seconds:.1f}", f"{timing.import_seconds:.1f}",
             f"{timing.seconds:.1f}", f"< {IMPORT_LIMIT_SECONDS} s",
             "met" if met else f"missed: {timing.seconds / IMPORT_LIMIT_SECONDS:.1f}× the limit")]


def _figures(header: tuple[str, ...]) -> list[bool]:
    """Which columns hold figures (aligned right): all but the first, the target and the result."""
    return [i > 0 and name not in ("Target", "Result") for i, name in enumerate(header)]


def text_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    right = _figures(header)

    def line(cells) -> str:
        return "  ".join(str(c).rjust(w) if r else str(c).ljust(w)
                         for c, w, r in zip(cells, widths, right)).rstrip()

    return "\n".join([line(header), line("-" * w for w in widths), *(line(r) for r in rows)])


def markdown_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    def line(cells) -> str:
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    align = ["---:" if r else "---" for r in _figures(header)]
    return "\n".join([line(header), "|" + "|".join(align) + "|", *(line(r) for r in rows)])
