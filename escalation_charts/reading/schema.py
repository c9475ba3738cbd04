"""Format 1 declared once: the same declaration checks YAML nodes and prints the JSON Schema.

Each type knows how to check a node (collecting findings at the node's position) and how to
describe itself in JSON Schema (draft 2020-12), so the loader and `escalation-charts schema`
can never disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from escalation_charts.durations import parse_duration
from escalation_charts.findings import Finding, Pos, shown
from escalation_charts.reading.compose import MAX_NODES, node_pos

__all__ = ["FORMAT", "ID_PATTERN", "SCHEMA_ID", "Checker", "Rec", "V", "json_schema"]

ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.-]*"
SCHEMA_ID = "urn:escalation-charts:schema:format-1"
_ID_RE = re.compile(ID_PATTERN)
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(("", "!", *(f"{_CORE}{t}" for t in ("str", "int", "bool", "seq", "map"))))
# Control characters other than tab and newline would break every output format we write;
# U+FFFE and U+FFFF (noncharacters, only reachable through a "\uFFFF" escape) are not XML
# characters, so no SVG, BPMN, draw.io or PPTX could hold them.
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_MAX_FINDINGS = 200


class V(NamedTuple):
    """A checked value and where it was written."""

    value: Any
    pos: Pos


class Rec(NamedTuple):
    """A checked mapping: its fields (name -> V) and where the mapping starts."""

    fields: dict[str, V]
    pos: Pos

    def get(self, name: str, default: Any = None) -> Any:
        v = self.fields.get(name)
        return default if v is None else v.value

    def spans(self) -> dict[str, Pos]:
        return {name: v.pos for name, v in self.fields.items()}


class Invalid:
    """Marks a value that failed its check (a finding was recorded)."""


INVALID = Invalid()


class TooManyFindings(Exception):
    """Raised to stop walking once the findings list is long enough to act on."""


class Checker:
    """Walk state: the file name, the findings so far and a count of visited nodes."""

    def __init__(self, file: str = "") -> None:
        self.file = file
        self.findings: list[Finding] = []
        self.visits = 0

    def fail(self, rule: str, message: str, pos: Pos) -> Invalid:
        self.findings.append(Finding(rule, message, pos, self.file))
        if len(self.findings) >= _MAX_FINDINGS:
            raise TooManyFindings
        return INVALID

    def visit(self, node: Node) -> None:
        self.visits += 1
        if self.visits > MAX_NODES:
            self.fail("syntax", f"the document has more than {MAX_NODES:,} values", node_pos(node))
            raise TooManyFindings


def _where(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        if isinstance(part, str) and not part.isprintable():  # a key as the user wrote it
            part = shown(part)
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "the document"


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return f"{node.value!r}"


def _char_kind(char: str) -> str:
    return "noncharacter" if char in "\ufffe\uffff" else "control character"


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """A ' (did you mean 'x'?)' hint, or '' when nothing is close."""
    import difflib  # only a mistake needs it

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and not node.style and node.value in _NULLS


# The declarations below are made once, at import, and never compared or printed. Their
# `@dataclass` declares the fields and generates nothing: a generated method is source
# compiled at import, on every command's start-up (see escalation_charts/frozen.py), so
# each writes its `__init__`. `dataclasses.replace` still works on them.


class Type:
    """A value kind in the format; subclasses check nodes and describe themselves."""

    expected = "a value"
    description = ""
    examples: tuple[Any, ...] = ()  # shown by editors as completions (JSON Schema `examples`)

    def check(self, node: Node, ck: Checker, path: tuple[str | int, ...]) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def _json(self, body: dict[str, Any]) -> dict[str, Any]:
        out = {"description": self.description, **body} if self.description else body
        return {**out, "examples": list(self.examples)} if self.examples else out

    def _scalar(self, node: Node, ck: Checker, path: tuple[str | int, ...]) -> str | Invalid:
        ck.visit(node)
        if node.tag not in _ALLOWED_TAGS:  # first: a tag is the real mistake, not the kind
            return ck.fail(
                "invalid-value",
                f"{_where(path)}: the tag {node.tag!r} is not allowed; write a plain value",
                node_pos(node),
            )
        if not isinstance(node, ScalarNode):
            return ck.fail(
                "invalid-value",
                f"{_where(path)} must be {self.expected}, not {_kind(node)}",
                node_pos(node),
            )
        bad = _BAD_CHARS.search(node.value)
        if bad:
            return ck.fail(
                "invalid-value",
                f"{_where(path)} contains the {_char_kind(bad.group())} U+{ord(bad.group()):04X}",
                node_pos(node),
            )
        return node.value


@dataclass(init=False, repr=False, eq=False)
class Text(Type):
    """Free text shown to people: any scalar, kept exactly as written (`yes` stays `yes`)."""

    description: str = ""
    max_len: int = 1000
    expected = "a text"

    def __init__(self, description: str = "", max_len: int = 1000) -> None:
        self.description = description
        self.max_len = max_len

    def check(self, node: Node, ck: Checker, path: tuple[str | int, ...]) -> Any:
        value = self._scalar(node, ck, path)
        if isinstance(value, Invalid):
            return value
        if not value.strip():
            return ck.fail("invalid-value", f"{_where(path)} is empty", node_pos(node))
        if len(value) > self.max_len:
            return ck.fail(
                "invalid-value",
                f"{_where(path)} is {len(value):,} characters long; at most "
                f"{self.max_len:,} are allowed",
                node_pos(node),
            )
        return value

    def schema(self) -> dict[str, Any]:
        # YAML 1.2 editors see `2.3` as a number and `true` as a boolean; we keep the text.
        # One subschema per type (not `type: [...]`), as strict validators (ajv) ask.
        text = {"type": "string", "maxLength": self.max_len}
        return self._json({"anyOf": [text, {"type": "number"}, {"type": "boolean"}]})


@dataclass(init=False, repr=False, eq=False)
class Ident(Type):
    """An id: letters, digits, `_ . -`, starting with a letter or digit."""

    description: str = ""
    expected = "an id"

    def __init__(self, description: str = "") -> None:
        self.description = description

    def check(self, node: Node, ck: Checker, path: tuple[str | int, ...]) -> Any:
        value = self._scalar(node, ck, path)
        if isinstance(value, Invalid):
            return value
        if len(value) > 100 or not _ID_RE.fullmatch(value):
            return ck.fail(
                "invalid-value",
                f"{_where(path)}: {value!r} is not a valid id (use letters, digits, '_', '.' "
                "and '-', starting with a letter or digit, at most 100 characters)",
                node_pos(node),
            )
        return value

    def schema(self) -> dict[str, Any]:
        # An unquoted `1` is an integer to a YAML 1.2 editor, and a valid id to us.
        text = {"type": "string", "pattern": f"^{ID_PATTERN}$", "maxLength": 100}
        return self._json({"anyOf": [text, {"type": "integer", "minimum": 0}]})


@dataclass(init=False, repr=False, eq=False)
class Int(Type):
    """A whole number within bounds."""

    description: str = ""
    minimum: int = 0
    maximum: int = 1000
    expected = "a whole number"

    def __init__(self, description: str = "", minimum: int = 0, maximum: int = 1000) -> None:
        self.description = description
        self.minimum = minimum
        self.maximum = maximum

    def check(self, node: Node, ck: Checker, path: tuple[str | int, ...]) -> Any:
        value = self._scalar(node, ck, path)
        if isinstance(value, Invalid):
            return value
        if node.style or not re.fullmatch(r"[-+]?\d{1,9}", value):
            return ck.fail(
                "invalid-value",
                f"{_where(path)} must be a whole number, not {value!r}",
                node_pos(node),
            )
        number = int(value)
        if self.minimum == self.maximum != number:
            return ck.fail(
                "invalid-value",
                f"{_where(path)} must be {self.minimum}, not {number}; this version of "
                f"escalation-charts reads format {self.minimum}",
                node_pos(node),
            )
        if not self.minimum <= number <= self.maximum:
            return ck.fail(
                "invalid-value",
                f"{_where(path)} must be between {self.minimum} and {self.maximum}, not {number}",
                node_pos(node),
            )
        return number

    def schema(self) -> dict[str, Any]:
        return self._json({"type": "integer", "minimum": self.minimum, "maximum": self.maximum})


@dataclass(init=False, repr=False, eq=False)
class Bool(Type):
    """`true` or `false`, nothing else (`yes`, `on` and `y` are not booleans here)."""

    description: str = ""
    expected = "true or false"

    def __init__(self, description: str = "") -> None:
        self.description = description

    def check(self, node: Node, ck: Checker, path: tuple[str | int, ...]) -> Any:
        value = self._scalar(node, ck, path)
        if isinstance(value, Invalid):
            return value
        if not node.style and value in _TRUE:
            return True
        if not node.style and value in _FALSE:
            return False
        return ck.fail(
            "invalid-value",
            f"{_where(path)} must be true or false, not {value!r}",
            node_pos(node),
        )

    def schema(self) -> dict[str, Any]:
        return self._json({"type": "boolean"})


def _bad_date(where: str, value: str) -> str:
    """Why `value` is not a date: its form, or which part is out of range."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"{where} must be a date written YYYY-MM-DD, not {value!r}"
    year, month, day = (int(part) for part in value.split("-"))
    if not 1 <= month <= 12:
        why = f"month {month} is out of range (1-12)"
    elif year < 1:
        why = "year 0 is out of range"
    else:
        import calendar  # only a wrong date needs it: importing it costs every start-up ~2 ms

        last = calendar.monthrange(year, month)[1]
        why = f"day {day} is out of range ({calendar.month_name[month]} {year} has {last} days)"
    return f"{where}: {value!r} is not a date: {why}; write YYYY-MM-DD"


@dataclass(init=False, repr=False, eq=False)
class Date(Type):
    """A calendar date in ISO 8601 form, `2026-09-01`."""

    description: str = ""
    expected = "a date (YYYY-MM-DD)"
    examples = ("2026-09-01",)

    def __init__(self, description: str = "") -> None:
        self.description = description

    def check(self, node: Node, ck: Checker, path: tuple[str | int, ...]) -> Any:
        value = self._scalar(node, ck, path)
        if isinstance(value, Invalid):
            return value
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            return ck.fail("invalid-value", _bad_date(_where(path), value), node_pos(node))

    def schema(self) -> dict[str, Any]:
        return self._json({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"})


_DURATION_PATTERN = (
    r"^(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?$|^[Pp](\d+[Ww])?(\d+[Dd])?([Tt](\d+[Hh])?(\d+[Mm])?"
    r"(\d+[Ss])?)?$"
)


@dataclass(init=False, repr=False, eq=False)
class Dur(Type):
    """A duration: `0m`, `15m`, `1h`, `2h30m`, `1d`, `1w` or ISO 8601 `PT15M`, `P1D`."""

    description: str = ""
    none_ok: bool = False
    examples = ("15m", "2h30m", "1d", "PT15M")

    def __init__(self, description: str = "", none_ok: bool = False) -> None:
        self.description = description
        self.none_ok = none_ok

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "a duration or none" if self.none_ok else "a duration"

    def check(self, node: Node, ck: Checker, path: tuple[str | int, ...]) -> Any:
        value = self._scalar(node, ck, path)
        if isinstance(value, Invalid):
            return value
        if self.none_ok and value == "none":
            return None
        try:
            return parse_duration(value)
        except ValueError as exc:
            hint = " or none" if self.none_ok else ""
            return ck.fail("invalid-value", f"{_where(path)}: {exc}{hint}", node_pos(node))

    def schema(self) -> dict[str, Any]:
        body: dict[str, Any] = {"type": "string", "pattern": _DURATION_PATTERN, "minLength": 2}
        if self.none_ok:
            body = {"anyOf": [body, {"const": "none"}]}
            return {**self._json(body), "examples": [*self.examples, "none"]}
        return self._json(body)


@dataclass(init=False, repr=False, eq=False)
class Choice(Type):
    """One of a fixed set of words."""

    values: tuple[str, ...] = ()
    description: str = ""

    def __init__(self, values: tuple[str, ...] = (), description: str = "") -> None:
        self.values = values
        self.description = description

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(self.values)

    def check(self, node: Node, ck: Checker, path: tuple[str | int, ...]) -> Any:
        value = self._scalar(node, ck, path)
        if isinstance(value, Invalid):
            return value
        if value not in self.values:
            return ck.fail(
                "invalid-value",
                f"{_where(path)}: {value!r} is not {self.expected}{suggest(value, self.values)}",
                node_pos(node),
            )
        return value

    def schema(self) -> dict[str, Any]:
        return self._json({"enum": list(self.values)})


@dataclass(init=False, repr=False, eq=False)
class Seq(Type):
    """A list of items of one type."""

    item: Type = field(default_factory=Text)
    description: str = ""
    min_items: int = 0
    expected = "a list"

    def __init__(self, item: Type | None = None, description: str = "", min_items: int = 0) -> None:
        self.item = Text() if item is None else item
        self.description = description
        self.min_items = min_items

    def check(self, node: Node, ck: Checker, path: tuple[str | int, ...]) -> Any:
        ck.visit(node)
        if not isinstance(node, SequenceNode):
            return ck.fail(
                "invalid-value",
                f"{_where(path)} must be a list, not {_kind(node)}",
                node_pos(node),
            )
        if node.tag not in _ALLOWED_TAGS:
            return ck.fail(
                "invalid-value",
                f"{_where(path)}: the tag {node.tag!r} is not allowed",
                node_pos(node),
            )
        if len(node.value) < self.min_items:
            return ck.fail(
                "invalid-value",
                f"{_where(path)} needs at least {self.min_items} item(s)",
                node_pos(node),
            )
        out = []
        for index, child in enumerate(node.value):
            value = self.item.check(child, ck, (*path, index))
            if not isinstance(value, Invalid):
                out.append(V(value, node_pos(child)))
        return out

    def schema(self) -> dict[str, Any]:
        body: dict[str, Any] = {"type": "array", "items": self.item.schema()}
        if self.min_items:
            body["minItems"] = self.min_items
        return self._json(body)


def _mapping_pairs(
    node: Node, ck: Checker, path: tuple[str | int, ...], what: str
) -> list[tuple[str, Pos, Node]] | Invalid:
    """The (key, key position, value node) pairs of a mapping, refusing repeated keys."""
    ck.visit(node)
    if not isinstance(node, MappingNode):
        return ck.fail(
            "invalid-value", f"{_where(path)} must be {what}, not {_kind(node)}", node_pos(node)
        )
    if node.tag not in _ALLOWED_TAGS:
        return ck.fail(
            "invalid-value",
            f"{_where(path)}: the tag {node.tag!r} is not allowed",
            node_pos(node),
        )
    seen: dict[str, Pos] = {}
    pairs = []
    for key_node, value_node in node.value:
        pos = node_pos(key_node)
        if not isinstance(key_node, ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
            ck.fail("invalid-value", f"{_where(path)}: keys must be plain words", pos)
            continue
        key = key_node.value
        if key in seen:
            first = seen[key]
            ck.fail(
                "duplicate-key",
                f"{_where((*path, key))} is written twice (first at line {first.line}); "
                "the second would silently replace the first",
                pos,
            )
            continue
        seen[key] = pos
        pairs.append((key, pos, value_node))
    return pairs


@dataclass(init=False, repr=False, eq=False)
class MapOf(Type):
    """A mapping from ids to values of one type (the matrix)."""

    value: Type = field(default_factory=Text)
    description: str = ""
    expected = "a mapping"

    def __init__(self, value: Type | None = None, description: str = "") -> None:
        self.value = Text() if value is None else value
        self.description = description

    def check(self, node: Node, ck: Checker, path: tuple[str | int, ...]) -> Any:
        pairs = _mapping_pairs(node, ck, path, "a mapping of ids")
        if isinstance(pairs, Invalid):
            return pairs
        out: list[tuple[V, V]] = []
        for key, pos, value_node in pairs:
            if len(key) > 100 or not _ID_RE.fullmatch(key):
                ck.fail("invalid-value", f"{_where(path)}: {key!r} is not a valid id", pos)
                continue
            if is_null(value_node):
                ck.fail("invalid-value", f"{_where((*path, key))} is empty", node_pos(value_node))
                continue
            value = self.value.check(value_node, ck, (*path, key))
            if not isinstance(value, Invalid):
                out.append((V(key, pos), V(value, node_pos(value_node))))
        return out

    def schema(self) -> dict[str, Any]:
        return self._json(
            {
                "type": "object",
                "propertyNames": {"pattern": f"^{ID_PATTERN}$"},
                "additionalProperties": self.value.schema(),
            }
        )


@dataclass(init=False, repr=False, eq=False)
class OneOf(Type):
    """A scalar shorthand or a list, told apart by the node's kind (`next: x` or a list)."""

    scalar: Type = field(default_factory=Ident)
    seq: Type = field(default_factory=Seq)
    description: str = ""
    wrap: Callable[[Any, Pos], Any] | None = None  # turns the scalar form into the list item

    def __init__(
        self,
        scalar: Type | None = None,
        seq: Type | None = None,
        description: str = "",
        wrap: Callable[[Any, Pos], Any] | None = None,
    ) -> None:
        self.scalar = Ident() if scalar is None else scalar
        self.seq = Seq() if seq is None else seq
        self.description = description
        self.wrap = wrap

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"{self.scalar.expected} or a list"

    def check(self, node: Node, ck: Checker, path: tuple[str | int, ...]) -> Any:
        if isinstance(node, SequenceNode):
            return self.seq.check(node, ck, path)
        value = self.scalar.check(node, ck, path)
        if isinstance(value, Invalid):
            return value
        pos = node_pos(node)
        return [V(self.wrap(value, pos) if self.wrap else value, pos)]

    def schema(self) -> dict[str, Any]:
        return self._json({"anyOf": [self.scalar.schema(), self.seq.schema()]})


@dataclass(init=False, repr=False, eq=False)
class Field:
    """A named field of an object: its type, whether it is required, and for the schema
    the value the model takes when it is left out and examples for completion."""

    type: Type
    required: bool = False
    default: Any = None
    examples: tuple[Any, ...] = ()

    def __init__(
        self,
        type: Type,
        required: bool = False,
        default: Any = None,
        examples: tuple[Any, ...] = (),
    ) -> None:
        self.type = type
        self.required = required
        self.default = default
        self.examples = examples

    def schema(self) -> dict[str, Any]:
        body = self.type.schema()
        if self.default is not None:
            body = {**body, "default": self.default}
        if self.examples:
            body = {**body, "examples": list(self.examples)}
        return body


@dataclass(init=False, repr=False, eq=False)
class Obj(Type):
    """A mapping with known fields; unknown ones are refused with a suggestion."""

    name: str = "object"
    fields: dict[str, Field] = field(default_factory=dict)
    description: str = ""

    def __init__(
        self, name: str = "object", fields: dict[str, Field] | None = None, description: str = ""
    ) -> None:
        self.name = name
        self.fields = {} if fields is None else fields
        self.description = description

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"a mapping ({self.name})"

    def check(self, node: Node, ck: Checker, path: tuple[str | int, ...]) -> Any:
        pairs = _mapping_pairs(node, ck, path, self.expected)
        if isinstance(pairs, Invalid):
            return pairs
        values: dict[str, V] = {}
        meant: set[str] = set()  # fields a misspelt key stands for: not reported as missing
        for key, pos, value_node in pairs:
            spec = self.fields.get(key)
            if spec is None:
                hint = suggest(key, tuple(self.fields))
                ck.fail(
                    "unknown-field",
                    f"{_where(path)}: unknown field {shown(key)} in {self.name}{hint}",
                    pos,
                )
                import difflib

                meant.update(difflib.get_close_matches(key, list(self.fields), n=1, cutoff=0.6))
                continue
            if is_null(value_node):
                if spec.required:
                    ck.fail(
                        "invalid-value", f"{_where((*path, key))} is empty", node_pos(value_node)
                    )
                continue
            value = spec.type.check(value_node, ck, (*path, key))
            if not isinstance(value, Invalid):
                values[key] = V(value, node_pos(value_node))
        present = {key for key, _, _ in pairs}
        missing = [n for n, f in self.fields.items() if f.required and n not in present | meant]
        for name in missing:
            ck.fail(
                "invalid-value",
                f"{_where(path)}: the {self.name} needs a '{name}' field",
                node_pos(node),
            )
        return Rec(values, node_pos(node))

    def schema(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": "object",
            "properties": {name: f.schema() for name, f in self.fields.items()},
            "additionalProperties": False,
        }
        required = [name for name, f in self.fields.items() if f.required]
        if required:
            body["required"] = required
        return self._json(body)


# --- format 1 ---------------------------------------------------------------------------------

STEP_TYPES = ("start", "task", "decision", "escalate", "wait", "resolution")
CONTACT_ROLES = ("primary", "backup")

PROCESS = Obj(
    "process",
    {
        "id": Field(
            Ident("A slug that names the output files."), required=True, examples=("it-help-desk",)
        ),
        "name": Field(Text("The process name shown in titles."), required=True),
        "owner": Field(Text("Who owns the process.")),
        "version": Field(Text('The version of this definition (quote it: "2.3").', 50)),
        "reviewed": Field(Date("The date of the last review.")),
        "review_every": Field(Dur("How often the process must be reviewed, e.g. 180d.")),
        "description": Field(Text("What the process covers.", 4000)),
    },
    "What the process is and who owns it.",
)

SEVERITY = Obj(
    "severity",
    {
        "id": Field(Ident("Short id, e.g. P1."), required=True, examples=("P1", "P2", "P3")),
        "name": Field(Text("Name, e.g. Critical.", 200)),
        "description": Field(Text("When a ticket has this severity.", 2000)),
        "respond": Field(Dur("Target time to first response.")),
        "resolve": Field(Dur("Target time to resolution.")),
    },
    "A ticket severity; list the most severe first.",
)

CONTACT = Obj(
    "contact",
    {
        "name": Field(Text("Person, rota or team.", 200), required=True),
        "role": Field(
            Choice(CONTACT_ROLES, "primary (called first) or backup."), default="primary"
        ),
        "phone": Field(Text("Phone number.", 100)),
        "email": Field(Text("Email address.", 200)),
        "hours": Field(Text("When they can be reached, e.g. 24/7.", 200)),
    },
    "Someone to contact at this level.",
)

LANE = Obj(
    "lane",
    {
        "id": Field(Ident("Lane id."), required=True),
        "name": Field(Text("Lane name shown in the header.", 200), required=True),
        "level": Field(Int("The escalation level this lane stands for.", 1, 99)),
        "external": Field(Bool("True for a party outside the organisation."), default=False),
        "description": Field(Text("What this lane does.", 2000)),
        "contacts": Field(Seq(CONTACT, "Who to contact, primary and backup.")),
    },
    "A swim lane, drawn in the order written.",
)

EDGE = Obj(
    "edge",
    {
        "to": Field(Ident("The step this edge leads to."), required=True),
        "when": Field(
            Text("The branch label of a decision, e.g. yes.", 200), examples=("yes", "no")
        ),
        "after": Field(Dur("Makes this a timer edge taken after this time.")),
        "severities": Field(Seq(Ident(), "Limits this edge to these severities.", 1)),
    },
    "An edge to another step.",
)

STEP = Obj(
    "step",
    {
        "id": Field(Ident("Step id."), required=True),
        "lane": Field(Ident("The lane this step is in."), required=True),
        "type": Field(Choice(STEP_TYPES, "The kind of step; task when left out."), default="task"),
        "label": Field(Text("The text in the shape.", 500), required=True),
        "next": Field(
            OneOf(
                Ident("The id of the only next step."),
                Seq(EDGE),
                "The next step id, or a list of edges.",
                wrap=lambda to, pos: Rec({"to": V(to, pos)}, pos),
            )
        ),
        "notify": Field(
            OneOf(Ident(), Seq(Ident()), "Lanes kept informed (dotted arrows, no hand-over).")
        ),
        "description": Field(Text("Longer explanation, used in notes and reports.", 4000)),
    },
    "A step of the flow.",
)

MATRIX = MapOf(
    MapOf(Dur("When this level is engaged, or none.", none_ok=True)),
    "For each severity, when each leveled lane is engaged (time since the ticket opened).",
)

FORMAT = Obj(
    "definition",
    {
        "format": Field(Int("The format version; 1 when left out.", 1, 1), default=1),
        "process": Field(PROCESS, required=True),
        "severities": Field(Seq(SEVERITY, "Ticket severities, most severe first.", 1), True),
        "lanes": Field(Seq(LANE, "The swim lanes, in drawing order.", 1), required=True),
        "steps": Field(Seq(STEP, "The steps of the flow.", 1), required=True),
        "matrix": Field(MATRIX),
    },
    "An escalation process (escalation-charts format 1).",
)


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of format 1, for editors and other tools."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        # A URN: the schema has no published address, and a URL would have to resolve.
        "$id": SCHEMA_ID,
        "title": "escalation-charts definition, format 1",
        **FORMAT.schema(),
    }
