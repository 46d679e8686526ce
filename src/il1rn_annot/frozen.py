"""The package's value classes without importing :mod:`dataclasses`: ``@frozen`` (immutable) and ``@mutable``.

``@frozen`` behaves as ``@dataclass(frozen=True, slots=True)`` does, ``@mutable`` as ``@dataclass``; both read a
class body the way dataclasses does (annotated names in order, defaults, :func:`field` with ``default``,
``default_factory``, ``repr``, ``hash`` and ``compare``, ``__post_init__``) and compile ``__init__`` only.  The
other methods are shared functions reading the class's field names through :func:`operator.attrgetter`:

- ``==`` compares the ``compare`` fields of two instances of the same class (else ``NotImplemented``);
- ``hash`` (``@frozen``) hashes the fields that ``==`` compares (``hash=False`` fields left out), as
  ``frozen=True`` does; a ``@mutable`` instance is unhashable, as an ``eq=True`` dataclass is;
- ``order=True`` adds ``<``, ``<=``, ``>``, ``>=`` over the same tuple;
- ``repr`` is ``Name(a=1, b='x')`` over the ``repr`` fields;
- assigning or deleting any attribute of a ``@frozen`` instance raises :class:`dataclasses.FrozenInstanceError`;
  ``copy``/``pickle`` restore slotted instances through ``__setstate__``.

Why not dataclasses itself: importing it imports :mod:`inspect` (with ``ast``, ``dis``, ``tokenize``: ~5 ms),
and its processing of a class body costs more than this module's whole decorator (a 10-field class: ``@frozen``
0.28 -> 0.14 ms (it used dataclasses' field processing); ``@dataclass`` 0.49 ms, ``@mutable`` 0.10 ms):
with ~55 classes, ~10 ms of the ~0.14 s a whole-genome run took.  Users keep dataclasses' functions: ``dataclasses.fields``, ``replace``,
``asdict`` and ``is_dataclass`` read ``__dataclass_fields__``, which is made on first access by dataclasses
itself from the same field specifications (so those calls import it; the package does not).  Inside the
package, :func:`replace` and :func:`field_names` do the same work without it.

Not supported (none used here; add them before using them): ``init=False`` and ``kw_only`` fields,
``ClassVar``/``InitVar`` annotations, inheritance between value classes, a class defining its own
``__init__``/``__eq__``/``__hash__``/``__repr__`` (and for ``@frozen`` ``__setattr__``/``__delattr__``).
"""

from __future__ import annotations

from operator import attrgetter

_set = object.__setattr__


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


class Spec:
    """A field's specification, what :func:`field` returns (dataclasses' ``Field`` is read the same way)."""

    __slots__ = ("default", "default_factory", "repr", "hash", "compare", "metadata", "name", "type")

    def __init__(self, default=MISSING, default_factory=MISSING, repr=True, hash=None, compare=True, metadata=None):
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.default, self.default_factory = default, default_factory
        self.repr, self.hash, self.compare, self.metadata = repr, hash, compare, metadata
        self.name = self.type = None


def field(*, default=MISSING, default_factory=MISSING, repr: bool = True, hash: bool | None = None,
          compare: bool = True, metadata=None) -> Spec:
    """As :func:`dataclasses.field` (``init`` and ``kw_only`` are not supported)."""
    return Spec(default, default_factory, repr, hash, compare, metadata)


def frozen(cls=None, /, *, slots: bool = True, eq: bool = True, order: bool = False):
    """Class decorator: ``@frozen``, ``@frozen(slots=False)``, ``@frozen(eq=False)``, ``@frozen(order=True)``."""

    def wrap(c):
        return _build(c, slots=slots, eq=eq, order=order, immutable=True)

    return wrap if cls is None else wrap(cls)


def mutable(cls=None, /):
    """Class decorator: as ``@dataclass`` (fields assignable, ``==`` over the fields, unhashable, no slots)."""

    def wrap(c):
        return _build(c, slots=False, eq=True, order=False, immutable=False)

    return wrap if cls is None else wrap(cls)


def field_names(cls_or_obj) -> tuple[str, ...]:
    """The field names of a value class (or of an instance of one), in order."""
    return cls_or_obj.__frozen_fields__


def replace(obj, /, **changes):
    """As :func:`dataclasses.replace`: a new instance with ``changes`` (``__post_init__`` runs again)."""
    names = obj.__frozen_fields__
    unknown = set(changes).difference(names)
    if unknown:
        raise TypeError(f"{obj.__class__.__qualname__} has no field {sorted(unknown)[0]!r}")
    return obj.__class__(**{n: changes[n] if n in changes else getattr(obj, n) for n in names})


def _specs(cls) -> list[Spec]:
    """The fields of the class body, in order, as dataclasses reads them."""
    own = cls.__dict__
    out = []
    for name, annotation in own.get("__annotations__", {}).items():
        text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", repr(annotation))
        if text.split("[")[0].rsplit(".", 1)[-1] in ("ClassVar", "InitVar"):
            raise TypeError(f"{cls.__qualname__}.{name}: ClassVar/InitVar fields are not supported here")
        value = own.get(name, MISSING)
        if isinstance(value, Spec):
            spec = value
        elif type(value).__name__ == "Field" and type(value).__module__ == "dataclasses":
            if not value.init or value.kw_only is True:
                raise TypeError(f"{cls.__qualname__}.{name}: init=False / kw_only fields are not supported")
            spec = Spec(*(MISSING if type(x).__name__ == "_MISSING_TYPE" else x
                          for x in (value.default, value.default_factory)),
                        value.repr, value.hash, value.compare, value.metadata)
        else:
            if type(value) in (list, dict, set):
                raise ValueError(f"mutable default {type(value)} for field {name} is not allowed: use default_factory")
            spec = Spec(default=value)
        spec.name, spec.type = name, annotation
        out.append(spec)
    seen_default = None
    for spec in out:
        if spec.default is not MISSING or spec.default_factory is not MISSING:
            seen_default = spec.name
        elif seen_default is not None:
            raise TypeError(f"non-default argument {spec.name!r} follows default argument")
    return out


def _build(cls, *, slots: bool, eq: bool, order: bool, immutable: bool):
    own = cls.__dict__
    kind = "@frozen" if immutable else "@mutable"
    owned = ("__init__", "__eq__", "__hash__", "__repr__") + (("__setattr__", "__delattr__") if immutable else ())
    for name in owned:
        if name in own and not (name == "__hash__" and own[name] is None):
            raise TypeError(f"{kind} {cls.__qualname__} defines {name}; write the class by hand instead")
    if any("__frozen_fields__" in base.__dict__ for base in cls.__mro__[1:]):
        raise TypeError(f"{kind} {cls.__qualname__}: inheritance between value classes is not supported")
    specs = _specs(cls)
    names = tuple(s.name for s in specs)
    body = dict(own)
    for s in specs:  # as dataclasses: a default stays as the class attribute (not with slots), a spec goes
        body.pop(s.name, None)
        if not slots and s.default is not MISSING:
            body[s.name] = s.default
    body.pop("__dict__", None)  # the new class makes its own (none with slots)
    body.pop("__weakref__", None)
    if slots:
        body["__slots__"] = names
    body["__frozen_fields__"] = names
    body["__frozen_specs__"] = tuple(specs)
    body["__dataclass_fields__"] = _DataclassFields()
    body["__match_args__"] = names
    qualname = cls.__qualname__
    cls = type(cls)(cls.__name__, cls.__bases__, body)
    cls.__qualname__ = qualname
    cls.__init__ = _init(cls, specs, immutable)
    cls.__repr__ = _repr_of(tuple(s.name for s in specs if s.repr))
    if immutable:
        cls.__setattr__ = _refuse_set
        cls.__delattr__ = _refuse_del
        if slots:
            cls.__getstate__, cls.__setstate__ = _state_of(names)
    if eq:
        key = _getter(tuple(s.name for s in specs if s.compare))
        cls.__eq__ = _compare(key, tuple.__eq__)
        if immutable:
            hashed = _getter(tuple(s.name for s in specs if (s.compare if s.hash is None else s.hash)))
            cls.__hash__ = lambda self: hash(hashed(self))
        else:
            cls.__hash__ = None
        if order:
            cls.__lt__ = _compare(key, tuple.__lt__)
            cls.__le__ = _compare(key, tuple.__le__)
            cls.__gt__ = _compare(key, tuple.__gt__)
            cls.__ge__ = _compare(key, tuple.__ge__)
    elif order:
        raise TypeError(f"{kind}: order=True needs eq=True")
    return cls


class _DataclassFields:
    """``__dataclass_fields__`` made on first access (``dataclasses.fields``/``replace``/``asdict``): dataclasses
    itself builds them from the same specifications on a stand-in class, and they replace this descriptor."""

    def __get__(self, obj, owner):
        import dataclasses

        body = {"__annotations__": {s.name: s.type for s in owner.__frozen_specs__}, "__module__": owner.__module__}
        for s in owner.__frozen_specs__:
            body[s.name] = dataclasses.field(
                default=dataclasses.MISSING if s.default is MISSING else s.default,
                default_factory=dataclasses.MISSING if s.default_factory is MISSING else s.default_factory,
                repr=s.repr, hash=s.hash, compare=s.compare, metadata=s.metadata)
        stand_in = dataclasses.dataclass(init=False, repr=False, eq=False)(type(owner.__name__, (), body))
        fields = stand_in.__dataclass_fields__
        type.__setattr__(owner, "__dataclass_fields__", fields)
        return fields


def _getter(names: tuple[str, ...]):
    """``obj -> tuple`` of the named attributes (a tuple also for one name or none)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _init(cls, specs: list[Spec], immutable: bool) -> object:
    """The one compiled method: ``__init__(self, a, b=<default>, c=<factory>)`` setting the fields in order
    (through ``object.__setattr__`` when immutable, as frozen dataclasses do), then ``__post_init__``."""
    env = {"__set": _set, "__missing": MISSING}
    params, body = [], []
    for s in specs:
        n = s.name
        if s.default is not MISSING:
            env[f"__d_{n}"] = s.default
            params.append(f"{n}=__d_{n}")
            value = n
        elif s.default_factory is not MISSING:
            env[f"__f_{n}"] = s.default_factory
            params.append(f"{n}=__missing")
            value = f"__f_{n}() if {n} is __missing else {n}"
        else:
            params.append(n)
            value = n
        body.append(f"__set(self, {n!r}, {value})" if immutable else f"self.{n} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    src = f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(body or ["pass"]) + "\n"
    exec(src, env)
    fn = env["__init__"]
    fn.__qualname__ = f"{cls.__qualname__}.__init__"
    fn.__module__ = cls.__module__
    return fn


def _repr_of(names: tuple[str, ...]):
    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in names)
        return f"{self.__class__.__qualname__}({inner})"

    return __repr__


def _compare(key, op):
    def compare(self, other):
        if other.__class__ is self.__class__:
            return op(key(self), key(other))
        return NotImplemented

    return compare


def _refuse_set(self, name, value):
    from dataclasses import FrozenInstanceError  # only when it is raised

    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_del(self, name):
    from dataclasses import FrozenInstanceError

    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _state_of(names: tuple[str, ...]):
    """``__getstate__``/``__setstate__`` for ``copy`` and ``pickle`` of a slotted class (no ``__dict__`` to
    restore, and the refusing ``__setattr__`` in the way): the field values in order."""
    values = _getter(names)

    def __getstate__(self) -> tuple:
        return values(self)

    def __setstate__(self, state) -> None:
        for n, v in zip(names, state):
            _set(self, n, v)

    return __getstate__, __setstate__
