"""``@frozen`` (il1rn_annot/frozen.py) behaves as ``@dataclass(frozen=True, slots=True)`` does, and ``@mutable`` as
``@dataclass``: the same class body under both decorators gives equal repr text, ==, hash, ordering,
(im)mutability, ``dataclasses.fields``/``replace``/``asdict``, copies and pickles; the package's own
``replace``/``field_names`` (which do not import dataclasses) agree with dataclasses'."""

from __future__ import annotations

import copy
import dataclasses
import itertools
import pickle
from dataclasses import FrozenInstanceError, dataclass, field

import pytest

from il1rn_annot import frozen as fz
from il1rn_annot.frozen import frozen, mutable
from il1rn_annot.types import Interval


def _body():
    """The namespace of one class body: every field kind the package uses."""

    def __post_init__(self):
        if self.start < 0:
            raise ValueError(f"start {self.start} < 0")

    return {
        "__annotations__": {"start": "int", "name": "str", "tags": "tuple", "note": "str", "cache": "dict",
                            "hidden": "int"},
        "__doc__": "A test value.",
        "__module__": __name__,
        "name": "x",
        "tags": field(default_factory=tuple),
        "note": field(default="", compare=False),
        "cache": field(default_factory=dict, compare=False, hash=False),
        "hidden": field(default=0, repr=False),
        "__post_init__": __post_init__,
        "width": property(lambda self: len(self.name)),
    }


Ours = frozen(order=True)(type("Value", (), _body()))
Theirs = dataclass(frozen=True, slots=True, order=True)(type("Value", (), _body()))
Value = Ours  # pickle finds a class by module and name; both are named Value so that their repr texts agree

ARGS = [(1,), (1, "x"), (1, "y"), (2, "x", ("a",)), (2, "x", ("a",), "a note"), (2, "x", ("a",), "other note"),
        (0, "", (), "", {"k": 1}), (0, "", (), "", {}, 5), (0, "", (), "", {}, 6)]


@pytest.mark.parametrize("args", ARGS)
def test_one_value_reads_prints_and_hashes_as_the_dataclass_does(args):
    ours, theirs = Ours(*args), Theirs(*args)
    assert dataclasses.astuple(ours) == dataclasses.astuple(theirs)
    assert repr(ours) == repr(theirs)
    assert "hidden" not in repr(ours)
    assert hash(ours) == hash(theirs)
    assert ours.width == theirs.width
    assert [f.name for f in dataclasses.fields(ours)] == [f.name for f in dataclasses.fields(theirs)]
    assert Ours.__match_args__ == Theirs.__match_args__
    assert not hasattr(ours, "__dict__")  # slots


def test_pairs_compare_and_order_as_the_dataclass_does():
    for a, b in itertools.product(ARGS, repeat=2):
        x, y, p, q = Ours(*a), Ours(*b), Theirs(*a), Theirs(*b)
        assert (x == y, x != y, x < y, x <= y, x > y, x >= y) == (p == q, p != q, p < q, p <= q, p > q, p >= q), (a, b)
        if x == y:
            assert hash(x) == hash(y)
    assert Ours(1, note="a") == Ours(1, note="b")  # compare=False
    assert Ours(1) != Theirs(1)  # another class: NotImplemented both ways, then identity
    assert Ours(1).__eq__((1, "x", ())) is NotImplemented
    with pytest.raises(TypeError):
        _ = Ours(1) < Theirs(1)


def test_it_is_immutable_and_defaults_are_fresh():
    v = Ours(1)
    for attempt in (lambda: setattr(v, "start", 2), lambda: setattr(v, "other", 2), lambda: delattr(v, "name")):
        with pytest.raises(FrozenInstanceError):
            attempt()
    assert v.start == 1
    assert Ours(1).cache is not Ours(1).cache  # default_factory called per instance
    assert Ours(1, cache=None).cache is None  # an explicit value wins over the factory, even a falsy one


def test_post_init_replace_copy_and_pickle():
    with pytest.raises(ValueError, match="start -1 < 0"):
        Ours(-1)
    v = Ours(3, "n", ("t",), "note", {"k": [1]}, 9)
    r = dataclasses.replace(v, start=4)
    assert (r.start, r.name, r.tags, r.note, r.hidden) == (4, "n", ("t",), "note", 9)
    with pytest.raises(ValueError):
        dataclasses.replace(v, start=-2)
    for twin in (copy.copy(v), copy.deepcopy(v), pickle.loads(pickle.dumps(v))):
        assert twin == v and twin is not v
        assert dataclasses.astuple(twin) == dataclasses.astuple(v)  # the compare=False fields too
        with pytest.raises(FrozenInstanceError):
            twin.start = 0


def test_without_slots_eq_or_with_a_method_it_owns():
    Plain = frozen(slots=False)(type("Plain", (), {"__annotations__": {"a": "int"}, "__module__": __name__}))
    assert Plain(1) == Plain(1) and hash(Plain(1)) == hash((1,)) and hasattr(Plain(1), "__dict__")
    with pytest.raises(FrozenInstanceError):
        Plain(1).a = 2
    Ident = frozen(eq=False)(type("Ident", (), {"__annotations__": {"a": "int"}, "__module__": __name__}))
    x = Ident(1)
    assert x != Ident(1) and x == x and hash(x) == object.__hash__(x)
    with pytest.raises(TypeError, match="order=True needs eq=True"):
        frozen(eq=False, order=True)(type("Bad", (), {"__annotations__": {"a": "int"}, "__module__": __name__}))
    with pytest.raises(TypeError, match="defines __eq__"):
        frozen(type("Own", (), {"__annotations__": {"a": "int"}, "__module__": __name__, "__eq__": lambda s, o: True}))


def test_the_package_interval_keeps_its_rules():
    assert Interval(1, 3) < Interval(2, 2) and sorted([Interval(5, 6), Interval(1, 9)])[0] == Interval(1, 9)
    assert len(Interval(10, 13)) == 3 and repr(Interval(1, 2)) == "Interval(start=1, end=2)"
    assert {Interval(1, 2): "a"}[Interval(1, 2)] == "a"
    with pytest.raises(ValueError, match="end 1 < start 2"):
        Interval(2, 1)
    with pytest.raises(FrozenInstanceError):
        Interval(1, 2).start = 0


def _mutable_body(make_field):
    return {
        "__annotations__": {"name": "str", "count": "int", "items": "list", "note": "str"},
        "__module__": __name__,
        "count": 0,
        "items": make_field(default_factory=list),
        "note": make_field(default="", compare=False, repr=False),
        "total": property(lambda self: self.count + len(self.items)),
    }


Rec = mutable(type("Rec", (), _mutable_body(fz.field)))  # the package's own field()
TheirRec = dataclass(type("Rec", (), _mutable_body(field)))


def test_mutable_values_read_print_compare_and_change_as_the_dataclass_does():
    for args in [("a",), ("a", 2), ("a", 2, [1]), ("b", 0, [], "n")]:
        ours, theirs = Rec(*args), TheirRec(*args)
        assert repr(ours) == repr(theirs) and "note" not in repr(ours)
        assert dataclasses.asdict(ours) == dataclasses.asdict(theirs)
        assert [(f.name, f.compare, f.repr) for f in dataclasses.fields(ours)] == \
            [(f.name, f.compare, f.repr) for f in dataclasses.fields(theirs)]
        assert ours.total == theirs.total
    assert Rec("a") == Rec("a", note="other") and Rec("a") != Rec("b") and Rec("a") != TheirRec("a")
    with pytest.raises(TypeError):
        hash(Rec("a"))  # eq without frozen: unhashable, as the dataclass
    r = Rec("a")
    r.count = 5
    r.items.append(1)
    assert (r.count, r.items, Rec("a").items) == (5, [1], [])  # assignable; the factory runs per instance
    assert copy.deepcopy(r) == r and pickle.loads(pickle.dumps(r)) == r
    assert dataclasses.replace(r, name="z") == Rec("z", 5, [1])


def test_the_package_replace_and_field_names_agree_with_dataclasses():
    v = Ours(3, "n", ("t",), "note", {"k": 1}, 9)
    assert fz.field_names(v) == fz.field_names(Ours) == tuple(f.name for f in dataclasses.fields(Theirs))
    for changes in ({}, {"start": 4}, {"name": "m", "hidden": 2}, {"cache": None}):
        ours, theirs = fz.replace(v, **changes), dataclasses.replace(v, **changes)
        assert dataclasses.astuple(ours) == dataclasses.astuple(theirs)
    with pytest.raises(ValueError, match="start -2 < 0"):
        fz.replace(v, start=-2)  # __post_init__ runs again
    with pytest.raises(TypeError, match="no field 'colour'"):
        fz.replace(v, colour="red")


def test_class_bodies_dataclasses_refuses_are_refused():
    with pytest.raises(ValueError, match="mutable default"):
        frozen(type("Bad", (), {"__annotations__": {"a": "list"}, "a": [], "__module__": __name__}))
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):
        mutable(type("Bad", (), {"__annotations__": {"a": "int", "b": "int"}, "a": 1, "__module__": __name__}))
    with pytest.raises(TypeError, match="ClassVar"):
        frozen(type("Bad", (), {"__annotations__": {"a": "ClassVar[int]"}, "__module__": __name__}))
    with pytest.raises(TypeError, match="inheritance"):
        frozen(type("Child", (Ours,), {"__annotations__": {"z": "int"}, "__module__": __name__}))


def test_the_package_does_not_import_dataclasses_for_its_value_classes():
    """The point of frozen.py: a fresh interpreter that imports the API and builds values has not imported
    dataclasses (nor inspect) until something asks for dataclasses' view of a value."""
    import subprocess
    import sys

    code = ("import sys; import il1rn_annot.api, il1rn_annot.analyses as an; an.load_builtin_analyses(); "
            "from il1rn_annot.types import Interval; i = Interval(1, 2); assert i == Interval(1, 2); "
            "print('dataclasses' in sys.modules, 'inspect' in sys.modules); "
            "import dataclasses; print([f.name for f in dataclasses.fields(i)])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:2] == ["False False", "['start', 'end']"]
