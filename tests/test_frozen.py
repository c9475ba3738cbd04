"""The records that write their own `__init__` (escalation_charts/frozen.py) behave as the
frozen dataclasses they replaced, and each `__init__` matches the fields it declares.

A field added to a declaration but not to its `__init__` (or set from the wrong argument)
would be a silent bug: the object would lack the field or carry another's value.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import json
import pickle
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import escalation_charts
from escalation_charts import model
from escalation_charts.findings import Finding, Pos
from escalation_charts.frozen import FrozenInstanceError
from escalation_charts.reading import schema
from escalation_charts.reading.loader import Loaded, load

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "it-help-desk.yaml"


def _declare_only() -> list[type]:
    """Every dataclass of the package whose `__init__` is written by hand (init=False)."""
    found = {}
    for info in pkgutil.walk_packages(escalation_charts.__path__, "escalation_charts."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and value.__module__ == info.name
                and dataclasses.is_dataclass(value)
                and not value.__dataclass_params__.init  # type: ignore[attr-defined]
                and "__init__" in vars(value)
            ):
                found[value.__qualname__, info.name] = value
    return [found[k] for k in sorted(found)]


RECORDS = _declare_only()


def test_the_records_are_found() -> None:
    names = {c.__name__ for c in RECORDS}
    assert {"Step", "Edge", "Definition", "Finding", "Loaded", "Obj", "Box", "Theme"} <= names


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
def test_init_takes_the_declared_fields_in_order(cls: type) -> None:
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]  # less self
    declared = dataclasses.fields(cls)
    expected = [f for f in declared if not f.kw_only] + [f for f in declared if f.kw_only]
    assert [p.name for p in params] == [f.name for f in expected]
    for param, f in zip(params, expected, strict=True):
        kind = param.KEYWORD_ONLY if f.kw_only else param.POSITIONAL_OR_KEYWORD
        assert param.kind == kind, f.name
        if f.default is not dataclasses.MISSING:
            assert param.default == f.default, f.name
        elif f.default_factory is not dataclasses.MISSING:
            # the factory's value itself (immutable), or None standing for "make one"
            assert param.default is None or param.default == f.default_factory(), f.name
        else:
            assert param.default is param.empty, f.name


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
def test_init_sets_each_field_from_its_own_argument(cls: type) -> None:
    values = {f.name: object() for f in dataclasses.fields(cls)}
    made = cls(**values)
    assert {n: getattr(made, n) for n in values} == values


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
def test_left_out_fields_take_their_declared_defaults(cls: type) -> None:
    declared = dataclasses.fields(cls)
    required = {
        f.name: object()
        for f in declared
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    made = cls(**required)
    for f in declared:
        if f.name not in required:
            want = f.default if f.default is not dataclasses.MISSING else f.default_factory()
            got = getattr(made, f.name)
            if isinstance(want, schema.Type):  # declarations compare by identity
                assert type(got) is type(want), f.name
            else:
                assert got == want, f.name


def test_factory_defaults_are_not_shared_between_objects() -> None:
    one, two = schema.Obj(), schema.Obj()
    one.fields["x"] = schema.Field(schema.Text())
    assert two.fields == {}


@pytest.fixture(scope="module")
def definition() -> model.Definition:
    loaded = load(EXAMPLE)
    assert loaded.definition is not None
    return loaded.definition


def test_equality_and_hash_leave_out_where_a_value_was_written(
    definition: model.Definition,
) -> None:
    step = definition.steps[1]
    moved = dataclasses.replace(step, pos=Pos(999, 9), spans={})
    assert moved == step and hash(moved) == hash(step)
    other = dataclasses.replace(step, label=step.label + "!")
    assert other != step
    assert model.Edge("a") != model.Step("a", "l", "x")  # another class is never equal
    assert model.Edge("a").__eq__("a") is NotImplemented


def test_repr_shows_the_fields_a_dataclass_would(definition: model.Definition) -> None:
    edge = model.Edge("next", when="yes", pos=Pos(4, 2))
    assert repr(edge) == "Edge(to='next', when='yes', after=None, severities=None)"
    assert repr(Finding("syntax", "bad", Pos(1, 2), "f.yaml")).startswith(
        "Finding(rule='syntax', message='bad', pos=Pos(line=1, column=2), file='f.yaml'"
    )
    assert "pos=" not in repr(definition.steps[0])


@pytest.mark.parametrize("record", ["step", "finding", "loaded"])
def test_fields_cannot_be_changed_or_deleted(record: str, definition: model.Definition) -> None:
    obj = {
        "step": definition.steps[0],
        "finding": Finding("syntax", "bad"),
        "loaded": Loaded("f.yaml", None, ()),
    }[record]
    with pytest.raises(FrozenInstanceError):
        obj.rule = "x"  # type: ignore[union-attr]
    name = dataclasses.fields(obj)[0].name
    with pytest.raises(FrozenInstanceError):
        delattr(obj, name)
    with pytest.raises(FrozenInstanceError):
        setattr(obj, name, "x")
    assert isinstance(FrozenInstanceError(), AttributeError)  # as dataclasses raises it


def test_a_loaded_definition_survives_pickle_and_deepcopy(definition: model.Definition) -> None:
    for again in (pickle.loads(pickle.dumps(definition)), copy.deepcopy(definition)):
        assert again == definition
        assert again.steps[3].pos == definition.steps[3].pos
        assert again.steps[3].spans == definition.steps[3].spans
        assert again.steps_by_id.keys() == definition.steps_by_id.keys()
    finding = Finding("dead-end", "no way out", Pos(3, 4), "f.yaml", step="s", path=("a", "s"))
    assert pickle.loads(pickle.dumps(finding)) == finding
    assert dataclasses.asdict(finding)["path"] == ("a", "s")


_PROBE = """
import builtins, json, sys
made = []
real_exec = builtins.exec
def exec_(source, *args, **kwargs):
    # dataclasses compiles each generated method (3.13: each class's methods) from text
    if isinstance(source, str) and sys._getframe(1).f_globals.get("__name__") == "dataclasses":
        frame = sys._getframe(1)
        while frame.f_globals.get("__name__") == "dataclasses":
            frame = frame.f_back
        made.append(frame.f_globals.get("__name__", "?"))  # the module declaring the class
    return real_exec(source, *args, **kwargs)
builtins.exec = exec_
from escalation_charts.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="escalation-charts")
except SystemExit:
    pass
json.dump(made, sys.stderr)
"""


@pytest.mark.parametrize("command", ["validate", "render"])
def test_a_command_compiles_no_dataclass_methods_at_start_up(command: str, tmp_path: Path) -> None:
    """Generating the model's methods alone cost a cold validate 33M instructions, a
    third of what it spends beyond its floor; the layout and drawing records cost render
    123 more methods (~35 ms)."""
    argv = [command, str(EXAMPLE)]
    if command == "render":
        argv += ["-f", "svg,png", "-o", str(tmp_path)]
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    generated_for = json.loads(done.stderr.strip().splitlines()[-1])
    assert generated_for == []
    if command == "render":
        assert (tmp_path / "it-help-desk-3-tier.png").exists()


def test_objects_made_without_places_pickle_and_copy_too() -> None:
    """An importer's or a caller's objects carry no places: they held a mappingproxy,
    which neither pickle nor deepcopy can take (found while checking this module)."""
    edge = model.Edge("next", when="yes")
    step = model.Step("a", "lane", "Do it", next=(edge,))
    definition = model.Definition(model.Process("p", "P"), (), (), (step,))
    for obj in (edge, step, definition):
        for again in (pickle.loads(pickle.dumps(obj)), copy.deepcopy(obj), copy.copy(obj)):
            assert again == obj
            assert again.spans == {} and again.at("to") == again.pos
    assert definition.matrix == {} and definition.cell("P1", "lane") is None
    assert repr(edge.spans) == "{}" and "x" not in edge.spans and len(edge.spans) == 0
