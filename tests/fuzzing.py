"""Definitions for fuzzing, drawn from the declared format and then broken on purpose.

`documents()` walks `schema.FORMAT`, the same declaration the loader checks against, so
every field the format knows is exercised and a new field is fuzzed the day it is
declared. Ids come from small pools, so references mostly resolve and sometimes dangle,
and the steps form cycles, dead ends and duplicates by chance. `mutated()` then breaks the
document: wrong types, missing and extra fields, huge and empty strings, deep nesting,
hostile unicode (control characters, NUL, lone surrogates, noncharacters, bidi
overrides). `encoded()` writes it as YAML bytes and may break the text itself (tags,
aliases, repeated keys, invalid UTF-8). Used by tests/test_fuzz_commands.py and
bench/fuzz.py.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from escalation_charts.reading import schema

__all__ = [
    "CORPUS",
    "HOSTILE_TEXTS",
    "ODD_TEXTS",
    "documents",
    "encoded",
    "fuzzed_files",
    "many_lanes",
    "mutated",
    "relabelled",
]

Draw = Callable[[st.SearchStrategy[Any]], Any]

# Text that means something to a format we write: it must come out as inert, visible text.
CORPUS = {
    "dot-quote": '"]; evil [label="pwned',
    "dot-backslash": "back\\slash \\N \\G \\L \\",
    "dot-arrow": "a -> b; c -- d",
    "dot-brace": "} subgraph x { y",
    "html-bold": "<b>bold</b>",
    "html-table": "<TABLE><TR><TD>cell</TD></TR></TABLE>",
    "svg-script": "</text><script>alert(1)</script>",
    "cdata-end": "]]><x/>",
    "xml-entity": "&amp; &lt; &#x41; &unknown;",
    "xml-comment": "<!-- c --> <?pi x?>",
    "jinja-expr": "{{ 7*'7' }}",
    "jinja-block": "{% if true %}yes{% endif %}",
    "formula-eq": '=HYPERLINK("http://evil.example/","x")',
    "formula-plus": "+cmd|' /C calc'!A0",
    "formula-at": "@SUM(1+1)*cmd",
    "formula-minus": "-2+3",
    "url-js": "javascript:alert(1)",
    "md-link": "[click](javascript:alert(1))",
    "md-table": "| a | b |",
    "mermaid": 'x"]-->y[("z")',
    "quotes": "say \"hi\" & 'bye'",
    "csv-break": 'a,"b\nc',
    "tab-newline": "line one\nline\ttwo",
    "cjk-emoji": "中文 テスト 😀👍🏽",
    "bidi": "abc\u202edcba",
}
# Characters the loader must refuse or every format must carry: C0/C1 controls, NUL,
# escape sequences, noncharacters, lone surrogates, line separators.
ODD_TEXTS = [
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b[31mred\x1b[0m",
    "\x7f",
    "\x85",
    "\x9b",
    "\r",
    "\r\n",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "\ud800",
    "\udfff",
    "\U0010ffff",
    "e\u0301",
    "\u200b",
    "\ufdd0",
]
HOSTILE_TEXTS = [*CORPUS.values(), *(f"a{c}b" for c in ODD_TEXTS), *ODD_TEXTS]

_PLAIN_CHARS = st.characters(blacklist_categories=("Cs", "Cc"))
_WRONG_VALUES = [
    0,
    -1,
    3,
    100,
    1.5,
    True,
    False,
    None,
    "",
    " ",
    [],
    {},
    [1, 2],
    {"a": 1},
    [[]],
    {"": ""},
    "none",
    "yes",
    "0x10",
    "1e9",
    "~",
    "null",
    "2026-02-30",
    "99999999999999999999d",
]
_EXTRA_KEYS = [
    "lable",
    "nxet",
    "ID",
    "lanes",
    "<b>x</b>",
    "\x1b[2J",
    "a\x00b",
    "key\nnext",
    "id ",
    "😀",
    "{{ x }}",
    "=1+1",
]
_DURATIONS = [
    "0m",
    "15m",
    "1h",
    "2h30m",
    "1d",
    "1w",
    "PT15M",
    "P1D",
    "p1dt2h",
    "3650d",
    "3651d",
    "0s",
    "1s",
    "none",
    "5x",
    "",
    "P",
    "PT",
    "1h1h",
    "99999999999999999999w",
    "-1h",
]


@st.composite
def _ids(draw: Draw, prefix: str, low: int, high: int) -> list[str]:
    count = draw(st.integers(low, high))
    odd = draw(st.booleans())
    if odd:  # any id the pattern allows: dots, dashes, digits first, the longest one
        extra = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,12}", fullmatch=True)
        base = draw(st.lists(extra, min_size=count, max_size=count, unique=True))
        if draw(st.booleans()):
            base[0] = "x" * 100
        return base
    return [f"{prefix}{i}" for i in range(1, count + 1)]


class _Pools:
    """Ids for each kind, drawn first so references can point at them (or not)."""

    def __init__(self, draw: Draw) -> None:
        self.kinds = {
            "severity": draw(_ids("P", 1, 4)),
            "lane": draw(_ids("lane", 1, 6)),
            "step": draw(_ids("s", 1, 10)),
        }

    def pick(self, draw: Draw, kind: str) -> str:
        pool = self.kinds[kind]
        if draw(st.integers(0, 19)) == 0:
            return draw(st.sampled_from(["missing", "Lane1", "s", "P9"]))  # dangling
        return draw(st.sampled_from(pool))


# Which pool an id field draws from, by its place in the document (list indices left out).
_ID_KIND = {
    ("severities", "id"): "severity",
    ("lanes", "id"): "lane",
    ("steps", "id"): "step",
    ("steps", "lane"): "lane",
    ("steps", "notify"): "lane",
    ("steps", "next"): "step",
    ("steps", "next", "to"): "step",
    ("steps", "next", "severities"): "severity",
    ("matrix",): "severity",
    ("matrix", "*"): "lane",
}
_LIST_SIZE = {("steps",): (1, 12), ("lanes",): (1, 6), ("severities",): (1, 4)}


def _loadable(text: str, max_len: int = 1000) -> bool:
    """True when the loader takes `text` as a value (so the outputs must carry it)."""
    return bool(text.strip()) and len(text) <= max_len and not schema._BAD_CHARS.search(text)


_LOADABLE_TEXTS = [t for t in HOSTILE_TEXTS if _loadable(t)]


def _text(draw: Draw, max_len: int, valid: bool) -> str:
    kind = draw(st.integers(0, 9))
    if kind <= 5:
        text = draw(st.text(_PLAIN_CHARS, min_size=1, max_size=24))
        return text if not valid or text.strip() else "x" + text
    if kind <= 7:
        return draw(st.sampled_from(_LOADABLE_TEXTS if valid else HOSTILE_TEXTS))
    if valid:
        return draw(st.sampled_from(["x" * max_len, "w " * (max_len // 2), "x\n\n\ny"]))
    return draw(st.sampled_from(["x" * (max_len + 1), " ", "\n", ""]))


def _value(draw: Draw, t: schema.Type, path: tuple[str, ...], pools: _Pools, valid: bool) -> Any:
    """A value for declared type `t`; `valid`: one the declaration accepts (references
    may still dangle), else now and then one it refuses."""
    if isinstance(t, schema.Obj):
        out: dict[str, Any] = {}
        for name, f in t.fields.items():
            if draw(st.integers(0, 99)) < (
                100 if f.required and valid else 97 if f.required else 50
            ):
                out[name] = _value(draw, f.type, (*path, name), pools, valid)
        return out
    if isinstance(t, schema.Seq):
        low, high = _LIST_SIZE.get(path, (t.min_items, 3))
        count = draw(st.integers(max(low, t.min_items) if valid else low, high))
        return [_value(draw, t.item, path, pools, valid) for _ in range(count)]
    if isinstance(t, schema.MapOf):
        kind = _ID_KIND.get(path, "lane")
        keys = draw(st.lists(st.sampled_from(pools.kinds[kind]), max_size=6, unique=True))
        return {k: _value(draw, t.value, (*path, "*"), pools, valid) for k in keys}
    if isinstance(t, schema.OneOf):
        if draw(st.booleans()):
            return _value(draw, t.scalar, path, pools, valid)
        return _value(draw, t.seq, path, pools, valid)
    return _scalar(draw, t, path, pools, valid)


def _scalar(draw: Draw, t: schema.Type, path: tuple[str, ...], pools: _Pools, valid: bool) -> Any:
    if isinstance(t, schema.Ident):
        kind = _ID_KIND.get(path)
        if kind is None:  # the process id: it names the output files
            return draw(st.sampled_from(["p", "it-help-desk", "1st.line_x", "x" * 100, "con"]))
        return pools.pick(draw, kind)
    if isinstance(t, schema.Text):
        return _text(draw, t.max_len, valid)
    if isinstance(t, schema.Int):
        if t.minimum == t.maximum or valid:
            return draw(st.integers(t.minimum, min(t.maximum, t.minimum + 3)))
        return draw(st.integers(t.minimum - 1, t.maximum + 1))
    if isinstance(t, schema.Bool):
        return draw(st.booleans())
    if isinstance(t, schema.Date):
        day = draw(st.dates()).isoformat()
        return draw(
            st.sampled_from(
                [
                    day,
                    "9999-12-31",
                    "0001-01-01",
                    "2026-11-23",
                    *(() if valid else ("2026-02-30", "26-1-1")),
                ]
            )
        )
    if isinstance(t, schema.Dur):
        durations = _DURATIONS[:10] if valid else _DURATIONS
        none = ["none"] if valid and t.none_ok else []
        return draw(
            st.one_of(
                st.sampled_from(durations + none),
                st.builds(
                    lambda n, u: f"{n}{u}",
                    st.integers(0, 3650 if valid else 10**6),
                    st.sampled_from("dhms" if valid else "wdhms"),
                ),
            )
        )
    if isinstance(t, schema.Choice):
        return draw(st.sampled_from([*t.values, *(() if valid else ("bogus",))]))
    raise TypeError(f"no fuzz strategy for {type(t).__name__}; add one in tests/fuzzing.py")


@st.composite
def documents(draw: Draw) -> dict[str, Any]:
    """A document shaped by the declared format, with ids from shared pools."""
    pools = _Pools(draw)
    valid = draw(st.integers(0, 9)) < 7  # most: let the later stages run
    doc = _value(draw, schema.FORMAT, (), pools, valid)
    if "severities" in doc and "matrix" in doc and draw(st.booleans()):
        # a full matrix: every severity times every leveled lane, as a real file has
        leveled = [
            ln["id"]
            for ln in doc.get("lanes", [])
            if isinstance(ln, dict) and "level" in ln and "id" in ln
        ]
        doc["matrix"] = {
            s["id"]: {lane: draw(st.sampled_from(_DURATIONS[:6])) for lane in leveled}
            for s in doc["severities"]
            if isinstance(s, dict) and "id" in s
        }
    return doc


def _paths(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [here]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*here, index))
    return out


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


def _nest(depth: int, leaf: Any, mapping: bool) -> Any:
    for _ in range(depth):
        leaf = {"k": leaf} if mapping else [leaf]
    return leaf


def _wrong(draw: Draw) -> Any:
    # a copy: a later mutation must not change the shared sample
    return copy.deepcopy(draw(st.sampled_from(_WRONG_VALUES)))


def _mutation(draw: Draw, doc: Any) -> Any:
    """`doc` with one thing broken at a random place (the root may be replaced too)."""
    paths = _paths(doc)
    path = paths[draw(st.integers(0, len(paths) - 1))]
    op = draw(
        st.sampled_from(
            ["retype", "drop", "extra", "nest", "huge", "dup", "hostile", "hostile", "hostile"]
        )
    )
    target = _get(doc, path)
    if op == "drop" and isinstance(target, dict) and target:
        del target[draw(st.sampled_from(sorted(target)))]
        return doc
    if op == "extra" and isinstance(target, dict):
        target[draw(st.sampled_from(_EXTRA_KEYS))] = _wrong(draw)
        return doc
    if op == "dup" and isinstance(target, list) and target:
        index = draw(st.integers(0, len(target) - 1))
        target.insert(index, json.loads(json.dumps(target[index])))
        return doc
    if op == "nest":
        depth = draw(st.sampled_from([8, 30, 63, 64, 65, 200]))
        new: Any = _nest(depth, draw(st.sampled_from(["x", 1, None])), draw(st.booleans()))
    elif op == "huge":
        size = draw(st.sampled_from([5_000, 100_000]))
        new = draw(st.sampled_from(["x" * size, "word " * (size // 5), ["x"] * (size // 50)]))
    elif op == "hostile":
        new = draw(st.sampled_from(HOSTILE_TEXTS))
    else:
        new = _wrong(draw)
    if not path:
        return new
    _get(doc, path[:-1])[path[-1]] = new
    return doc


_EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))
_TEXT_FIELDS = {
    "name",
    "label",
    "description",
    "owner",
    "when",
    "phone",
    "email",
    "hours",
    "version",
}


@st.composite
def relabelled(draw: Draw) -> dict[str, Any]:
    """A real example (valid, so every output is written) with hostile names and labels."""
    doc = yaml.safe_load(draw(st.sampled_from(_EXAMPLES)).read_text(encoding="utf-8"))
    texts = [p for p in _paths(doc) if p and p[-1] in _TEXT_FIELDS]
    for _ in range(draw(st.integers(1, 6))):
        path = texts[draw(st.integers(0, len(texts) - 1))]
        _get(doc, path[:-1])[path[-1]] = draw(st.sampled_from(_LOADABLE_TEXTS))
    return doc


@st.composite
def mutated(draw: Draw, doc: Any = None) -> Any:
    """A generated document or a relabelled example, with 0 to 3 mutations."""
    if doc is None:
        doc = draw(st.one_of(documents(), relabelled()))
    for _ in range(max(0, draw(st.integers(0, 5)) - 2)):  # half of them left whole
        doc = _mutation(draw, doc)
    return doc


def _dump(doc: Any, flow: bool) -> str:
    # The pure-Python dumper escapes what libyaml's cannot encode (lone surrogates).
    return yaml.dump(
        doc,
        Dumper=yaml.SafeDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=flow,
        width=10**6,
    )


_RAW = [
    "!!python/object/apply:os.system ['echo pwned']",
    "!!binary aGk=",
    "!!float 1.5",
    "&anchor",
    "*anchor",
    "<<: {}",
    "? complex\n",
    "!local",
    "%TAG ! tag:x,2000:\n---\n",
]


@st.composite
def encoded(draw: Draw, doc: Any) -> bytes:
    """`doc` as the bytes of a YAML file, now and then broken at the text or byte level."""
    text = _dump(doc, draw(st.booleans()))
    action = draw(st.integers(0, 15))  # a quarter of the files broken as text or bytes
    if action == 0:  # a repeated line: duplicate keys and ids
        lines = text.splitlines(keepends=True)
        k = draw(st.integers(0, max(len(lines) - 1, 0)))
        text = "".join([*lines[: k + 1], *lines[k:]])
    elif action == 1:  # tags, anchors, aliases, merge keys, directives
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(_RAW)) + " " + text[at:]
    data = text.encode("utf-8", "surrogatepass")
    if action == 2:
        data = draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"", b"\x00"])) + data
    elif action == 3 and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80"])) + data[at:]
    return data


@st.composite
def fuzzed_files(draw: Draw) -> bytes:
    """The whole pipeline: a document from the format, mutated, encoded."""
    return draw(encoded(draw(mutated())))


def many_lanes(count: int, *, chain: int = 3) -> str:
    """A valid definition with `count` lanes (leveled up to 99): a start, an escalation
    chain through the first `chain` lanes, a resolution; the other lanes are empty.

    A chain through every lane is a chart thousands of steps long, whose drawing time
    belongs to the render benchmarks, not to this suite.
    """
    chain = min(chain, count)
    out = [
        "process: {id: many-lanes, name: Many lanes}",
        "severities: [{id: P1, respond: 1h, resolve: 3000d}]",
        "lanes:",
        "  - {id: c, name: Customer}",
    ]
    out += [
        f"  - {{id: l{i}, name: Lane {i}, level: {min(i, 99)}, "
        f"contacts: [{{name: On call {i}, role: primary, email: l{i}@example.com}}]}}"
        for i in range(1, count + 1)
    ]
    out.append("steps:")
    out.append("  - {id: s, lane: c, type: start, label: Start, next: e1}")
    for i in range(1, chain + 1):
        nxt = f"e{i + 1}" if i < chain else "done"
        out.append(f"  - {{id: e{i}, lane: l{i}, type: escalate, label: Step {i}, next: {nxt}}}")
    out.append("  - {id: done, lane: c, type: resolution, label: Done}")
    out.append("matrix:")
    out.append("  P1: {" + ", ".join(f"l{i}: {min(i, 99)}m" for i in range(1, count + 1)) + "}")
    return "\n".join(out) + "\n"
