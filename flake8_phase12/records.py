"""`Record`: an immutable named tuple declared like `typing.NamedTuple`, but cheap to define.

    class Point(Record):
        x: int
        y: int = 0

The flake8 plugin is imported and run afresh for every editor keystroke, and its configuration
model, rule catalog and analysis records are about 25 record classes. On Python 3.11 a
`NamedTuple` class costs about 0.12 ms to create (`collections.namedtuple` compiles its
`__new__` with `exec`) and a frozen dataclass about 1 ms; a `Record` subclass costs about
0.02 ms. Instances are real tuples, as with `NamedTuple`: immutable, hashable, comparable,
unpackable, picklable, with `_fields`, `_field_defaults`, `_replace` and `_asdict`.

Annotations name the fields in order; class attributes give defaults; names without an
annotation (methods, properties, `__test__ = False`) are not fields. String annotations (under
`from __future__ import annotations`) work too; only the configuration model keeps evaluated
ones, because its loader reads them as the fields' types.

Why it stays (measured 2026-12-07, `tests/test_records.py` and the class-creation timing in
`benchmarks/bench_import_time.py`): on the flake8 start-up path 13 record classes are created
for a plain module; a `NamedTuple` costs about 0.26 ms more per class than a `Record`, a frozen
dataclass about 3 ms more, and the single-file budget of the plugin is about 8 ms in all. The
field accessors are `collections._tuplegetter`, the C accessor `namedtuple` itself uses; it is
a private name, so a Python without it gets the same accessors from `operator.itemgetter`
(slower by a few nanoseconds per read, and tested).
"""

import operator
from typing import Any, ClassVar, TypeVar

try:  # the accessor namedtuple uses: private, so it may go away
    from collections import _tuplegetter  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - exercised by tests/test_records.py with it hidden
    def _tuplegetter(index: int, doc: str) -> property:
        return property(operator.itemgetter(index), doc=doc)

R = TypeVar("R", bound="Record")


def _is_class_variable(annotation: Any) -> bool:
    if isinstance(annotation, str):  # under `from __future__ import annotations`
        return annotation.startswith(("ClassVar", "typing.ClassVar"))
    return annotation is ClassVar or getattr(annotation, "__origin__", None) is ClassVar


class _RecordType(type):
    """Gives every record class empty `__slots__`: instances are bare tuples, no `__dict__`."""

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any):
        namespace.setdefault("__slots__", ())
        return super().__new__(mcs, name, bases, namespace, **kwargs)


class Record(tuple, metaclass=_RecordType):
    """Base class of the records; see the module docstring."""

    _fields: ClassVar[tuple[str, ...]] = ()
    _field_defaults: ClassVar[dict[str, Any]] = {}
    _field_indexes: ClassVar[dict[str, int]] = {}
    _first_default: ClassVar[int] = 0
    _default_tail: ClassVar[tuple[Any, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        inherited = cls._fields
        own = [name for name, annotation in cls.__dict__.get("__annotations__", {}).items()
               if name not in inherited and not name.startswith("__")
               and not _is_class_variable(annotation)]
        fields = (*inherited, *own)
        defaults = dict(cls._field_defaults)
        for name in own:
            if name in cls.__dict__:
                defaults[name] = cls.__dict__[name]
            elif defaults:
                raise TypeError(f"{cls.__name__}: field '{name}' without a default follows "
                                "fields with defaults")
        for index, name in enumerate(own, start=len(inherited)):
            setattr(cls, name, _tuplegetter(index, f"Field {index}: {name}"))
        cls._fields = fields
        cls._field_defaults = defaults
        cls._field_indexes = {name: index for index, name in enumerate(fields)}
        # The defaults of the trailing fields, in order: `Param("x")` is its values plus these.
        cls._first_default = len(fields) - len(defaults)
        cls._default_tail = tuple(defaults[name] for name in fields[cls._first_default:])

    def __new__(cls: type[R], *args: Any, **kwargs: Any) -> R:
        fields = cls._fields
        if len(args) > len(fields):
            raise TypeError(f"{cls.__name__}() takes {len(fields)} arguments, got {len(args)}")
        if not kwargs:
            if len(args) == len(fields):
                return tuple.__new__(cls, args)
            if len(args) >= cls._first_default:
                return tuple.__new__(cls, args + cls._default_tail[len(args) - cls._first_default:])
        values = list(args)
        for name in fields[len(args):]:
            if name in kwargs:
                values.append(kwargs.pop(name))
            elif name in cls._field_defaults:
                values.append(cls._field_defaults[name])
            else:
                raise TypeError(f"{cls.__name__}() missing argument '{name}'")
        if kwargs:
            name = next(iter(kwargs))
            problem = "got multiple values for" if name in cls._field_indexes else "has no field"
            raise TypeError(f"{cls.__name__}() {problem} '{name}'")
        return tuple.__new__(cls, values)

    def __getnewargs__(self) -> tuple[Any, ...]:
        # Pickle and copy rebuild the record from its values, not from one tuple argument.
        return tuple(self)

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
        return f"{type(self).__name__}({values})"

    def _replace(self: R, **changes: Any) -> R:
        values = list(self)
        for name, value in changes.items():
            if name not in self._field_indexes:
                raise TypeError(f"{type(self).__name__} has no field '{name}'")
            values[self._field_indexes[name]] = value
        return tuple.__new__(type(self), values)

    def _asdict(self) -> dict[str, Any]:
        return dict(zip(self._fields, self))
