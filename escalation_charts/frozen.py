"""The base of the immutable records every command builds on its way in (model, findings).

A frozen dataclass has six methods generated for it when its module is imported, each
written out as source text and compiled then: for the nine model classes that was 33M of
the 111M instructions a cold `validate` spends beyond `import click, yaml` (issue 18).
The records here declare their fields with `@dataclass(init=False, repr=False, eq=False)`,
which generates nothing, so `dataclasses.fields`, `replace`, `asdict` and pattern matching
work as before. Each writes its own `__init__` (a test holds it to the declared fields),
and this base supplies what `frozen=True` would: equality and a hash over the fields that
take part in comparison, a repr of those shown, refusal to change, pickling and copying.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields
from operator import attrgetter
from typing import Any

__all__ = ["Frozen", "FrozenInstanceError", "set_field"]

# What each record's `__init__` (and unpickling) fills a field with: `Frozen` refuses
# `__setattr__` itself, as a frozen dataclass's generated `__init__` goes round it too.
set_field = object.__setattr__


class _Shape:
    """What one record class compares, shows and pickles, read once from its fields."""

    __slots__ = ("compared", "names", "shown")

    def __init__(self, cls: type) -> None:
        declared = fields(cls)
        self.names = tuple(f.name for f in declared)
        compared = [f.name for f in declared if f.compare]
        # attrgetter of one name returns the value itself; a 1-tuple keeps equality and
        # hashing what the generated methods gave
        getter = attrgetter(*compared) if compared else (lambda _: ())
        self.compared = getter if len(compared) != 1 else (lambda o, g=getter: (g(o),))
        self.shown = tuple(f.name for f in declared if f.repr)


_SHAPES: dict[type, _Shape] = {}


def _shape(cls: type) -> _Shape:
    shape = _SHAPES.get(cls)
    if shape is None:
        shape = _SHAPES[cls] = _Shape(cls)
    return shape


class Frozen:
    """A record whose fields are set once, by its `__init__`, and never again."""

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        key = _shape(self.__class__).compared
        return bool(key(self) == key(other))

    def __hash__(self) -> int:
        return hash(_shape(self.__class__).compared(self))

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in _shape(self.__class__).shown)
        return f"{self.__class__.__qualname__}({shown})"

    # Pickling and copying restore fields without `__setattr__`, as frozen dataclasses do
    # (a lookup a `Definition` cached is not kept: it is rebuilt on first use).
    def __getstate__(self) -> tuple[Any, ...]:
        return tuple(getattr(self, n) for n in _shape(self.__class__).names)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip(_shape(self.__class__).names, state, strict=True):
            set_field(self, name, value)
