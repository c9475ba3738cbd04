"""Read a definition file into the model, or into findings that say exactly what is wrong.

Reading is strict and bounded: the file size, the nesting depth and the number of values
(after aliases) are limited, bytes must be UTF-8, and every value is checked against the
format declared in `schema`. Schema problems stop here; the semantic rules live in
`validate`.
"""

from __future__ import annotations

import errno
import gc
import os
import stat
from dataclasses import dataclass, replace
from typing import Any, BinaryIO

from escalation_charts.findings import Finding, Pos
from escalation_charts.frozen import Frozen
from escalation_charts.frozen import set_field as _set
from escalation_charts.model import (
    Contact,
    Definition,
    Edge,
    Lane,
    MatrixCell,
    Process,
    Severity,
    Step,
    StepType,
)
from escalation_charts.reading import schema
from escalation_charts.reading.compose import ComposeError, compose, may_hold_anchors
from escalation_charts.reading.fast import Steps, clean_text
from escalation_charts.reading.schema import Checker, Rec, TooManyFindings

__all__ = [
    "MAX_FILE_BYTES",
    "Loaded",
    "NotAFile",
    "load",
    "load_bytes",
    "load_stream",
    "load_text",
    "open_definition",
]

MAX_FILE_BYTES = 32 * 1024 * 1024


@dataclass(init=False, repr=False, eq=False)
class Loaded(Frozen):
    """The outcome of reading one file: a definition when it could be built, and findings."""

    path: str
    definition: Definition | None
    findings: tuple[Finding, ...]

    def __init__(
        self, path: str, definition: Definition | None, findings: tuple[Finding, ...]
    ) -> None:
        _set(self, "path", path)
        _set(self, "definition", definition)
        _set(self, "findings", findings)


class NotAFile(OSError):
    """The path names a FIFO, device or socket: reading it could block forever or never end."""


def open_definition(path: str | os.PathLike[str]) -> BinaryIO:
    """Open a definition file for reading, refusing anything but a regular file.

    The open itself must not block (a FIFO waits for a writer), so it is non-blocking and
    the kind is checked on the open descriptor, not on the name a racer could swap.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        if not stat.S_ISREG(mode):
            raise NotAFile(errno.EINVAL, "not a regular file (a FIFO, device or socket)")
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def load(path: str | os.PathLike[str]) -> Loaded:
    """Read and check one definition file; OSError propagates (the caller reports it)."""
    with open_definition(path) as handle:
        return load_stream(handle, str(path))


def load_stream(handle: BinaryIO, name: str) -> Loaded:
    """Read a definition from an open binary stream (a file, or standard input for `-`),
    never more than the size limit, and check it."""
    data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return _fail(
            name,
            "syntax",
            f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; split the process "
            "or raise the limit",
            Pos(1, 1),
        )
    return load_bytes(data, name)


def load_bytes(data: bytes, name: str = "<definition>") -> Loaded:
    """Decode UTF-8 bytes and load them (see `load_text`)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return _fail(
            name,
            "syntax",
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8",
            Pos(line, column),
        )
    return load_text(text, name)


def load_text(text: str, name: str = "<definition>") -> Loaded:
    """Load a definition from text; `name` is used in findings."""
    # Composing makes millions of small objects; the cyclic collector would rescan them
    # over and over, which costs more than the parse itself on large files.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(text, name)
    finally:
        if was_enabled:
            gc.enable()


_STEPS = schema.FORMAT.fields["steps"]


def _load(text: str, name: str) -> Loaded:
    # Without anchors no node can be reached twice, so each step's nodes may go as soon as
    # the step is built: while composing (`take`), or else while checking (`consume`).
    declared: schema.Seq = _STEPS.type  # type: ignore[assignment]
    steps = Steps(declared, _step, clean_text(text), consume=not may_hold_anchors(text))
    try:
        node = compose(text, "steps", steps.take)
    except ComposeError as exc:
        # imported here: only a file that does not parse needs it, and validate stays lean
        from escalation_charts.reading.yaml_hints import explain

        return _fail(name, "syntax", explain(exc.message, text, exc.pos), exc.pos)
    if node is None:
        return _fail(
            name, "invalid-value", "the file is empty; run 'escalation-charts init'", Pos(1, 1)
        )
    checker = Checker(name)
    try:
        root = _format(steps).check(node, checker, ())
    except TooManyFindings:
        root = schema.INVALID
    if checker.findings or not isinstance(root, Rec):
        return Loaded(name, None, tuple(checker.findings))
    return Loaded(name, build(root, name), ())


def _format(steps: Steps) -> schema.Obj:
    """The declared format, with `steps` checked and built in one pass (see `fast`)."""
    return replace(
        schema.FORMAT, fields={**schema.FORMAT.fields, "steps": replace(_STEPS, type=steps)}
    )


def _fail(name: str, rule: str, message: str, pos: Pos) -> Loaded:
    return Loaded(name, None, (Finding(rule, message, pos, name),))


def build(root: Rec, source: str = "") -> Definition:
    """Turn a checked document into the model (the checks guarantee every type).

    `root` is what `_format` checked: its steps are already Step objects.
    """
    p: Rec = root.get("process")
    process = Process(
        id=p.get("id"),
        name=p.get("name"),
        owner=p.get("owner"),
        version=p.get("version"),
        reviewed=p.get("reviewed"),
        review_every=p.get("review_every"),
        description=p.get("description"),
        pos=p.pos,
        spans=p.spans(),
    )
    severities = tuple(
        Severity(
            id=r.get("id"),
            name=r.get("name") or r.get("id"),
            description=r.get("description"),
            respond=r.get("respond"),
            resolve=r.get("resolve"),
            pos=r.pos,
            spans=r.spans(),
        )
        for r in _recs(root.get("severities"))
    )
    lanes = tuple(_lane(r) for r in _recs(root.get("lanes")))
    steps = tuple(v.value for v in root.get("steps"))  # built while checked
    matrix: dict[str, dict[str, MatrixCell]] = {}
    spans: dict[str, Pos] = root.spans()
    for sev, row in root.get("matrix") or ():
        spans[f"matrix.{sev.value}"] = sev.pos
        cells = matrix.setdefault(sev.value, {})
        for lane, engage in row.value:
            cells[lane.value] = MatrixCell(
                severity=sev.value,
                lane=lane.value,
                engage=engage.value,
                pos=engage.pos,
                spans={"severity": sev.pos, "lane": lane.pos},
            )
    return Definition(
        process=process,
        severities=severities,
        lanes=lanes,
        steps=steps,
        matrix=matrix,
        format=root.get("format", 1),
        source=source,
        pos=root.pos,
        spans=spans,
    )


def _recs(items: list[Any] | None) -> list[Rec]:
    return [item.value for item in items or ()]


def _lane(r: Rec) -> Lane:
    contacts = tuple(
        Contact(
            name=c.get("name"),
            role=c.get("role", "primary"),
            phone=c.get("phone"),
            email=c.get("email"),
            hours=c.get("hours"),
            pos=c.pos,
            spans=c.spans(),
        )
        for c in _recs(r.get("contacts"))
    )
    return Lane(
        id=r.get("id"),
        name=r.get("name"),
        level=r.get("level"),
        external=r.get("external", False),
        description=r.get("description"),
        contacts=contacts,
        pos=r.pos,
        spans=r.spans(),
    )


def _step(r: Rec) -> Step:
    edges = tuple(
        Edge(
            to=e.get("to"),
            when=e.get("when"),
            after=e.get("after"),
            severities=tuple(v.value for v in e.get("severities"))
            if e.get("severities") is not None
            else None,
            pos=e.pos,
            spans={
                **e.spans(),
                **{f"severities[{i}]": v.pos for i, v in enumerate(e.get("severities") or ())},
            },
        )
        for e in _recs(r.get("next"))
    )
    notify = r.get("notify") or ()
    spans = r.spans()
    spans.update({f"notify[{i}]": v.pos for i, v in enumerate(notify)})
    return Step(
        id=r.get("id"),
        lane=r.get("lane"),
        label=r.get("label"),
        type=StepType(r.get("type", "task")),
        next=edges,
        notify=tuple(v.value for v in notify),
        description=r.get("description"),
        pos=r.pos,
        spans=spans,
    )
