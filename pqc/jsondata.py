"""Frozen dataclasses to JSON data and back, by their type hints; one compact JSON text form.

:func:`to_data` turns a value into JSON data (dict/list/str/int/float/bool/None):
a dataclass becomes an object with one key per field (named as the field, in
field order), a tuple a list, a mapping an object, an enum its value.

:func:`from_data` does the reverse for a type hint, checking every value as
it goes, so a file whose ``algorithm`` is an object fails here, naming the
place (``body.cases[3].algorithm: expected a string, got an object``), not
later in a renderer. Supported hints: dataclasses (nested), ``str``, ``int``
(a bool is not an int), ``float`` (an int is accepted), ``bool``, ``None``,
``X | None``, ``Literal[...]``, enums, ``tuple[X, ...]``, ``tuple[X, Y]``,
``Mapping[str, X]``/``dict[str, X]`` and ``Any`` (any JSON value, kept as
is). A missing field takes its default when it has one; keys the class does
not know are ignored, so a field added with a default needs no new version.

:func:`dumps` writes JSON data as indented text with every list of numbers
on one line (sample lists stay compact); :func:`loads` parses text, turning
every way JSON text can fail -- syntax, nesting too deep for the parser,
integers too long to convert -- into :class:`ConversionError`.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import sys
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any, Literal, TypeVar, Union

T = TypeVar("T")

JSONData = Any  # None | bool | int | float | str | list[JSONData] | dict[str, JSONData]
_PLAIN = frozenset({int, float, str, bool, type(None)})
_NUMBERS = frozenset({int, float})
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


class ConversionError(ValueError):
    """A value did not match its type hint; ``path`` says where (``cases[3].algorithm``)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path or 'the top level'}: {message}" if path else message)
        self.path = path
        self.reason = message


def to_data(value: object) -> JSONData:
    """``value`` as JSON data (see the module docstring); raises TypeError for other types."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value.value if isinstance(value, enum.Enum) else value
    if isinstance(value, enum.Enum):
        return to_data(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        if {type(item) for item in value} <= _PLAIN:  # sample lists: no per-item call
            return list(value)
        return [to_data(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): to_data(item) for key, item in value.items()}
    raise TypeError(f"cannot turn a {type(value).__name__} into JSON data")


# What a JSON value is, in words, by type (bool before int: a bool is an int).
_DESCRIPTIONS: tuple[tuple[type, str], ...] = (
    (bool, "a boolean"), (int, "an integer"), (float, "a number"), (str, "a string"),
    (list, "a list"), (dict, "an object"),
)  # fmt: skip


def _describe(data: object) -> str:
    if data is None:
        return "null"
    found = (text for kind, text in _DESCRIPTIONS if isinstance(data, kind))
    return next(found, f"a {type(data).__name__}")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_data(hint: Any, data: JSONData, path: str = "") -> Any:
    """``data`` converted to ``hint``; raises :class:`ConversionError` naming the path."""
    if hint is Any:
        return data
    if hint is None or hint is type(None):
        if data is not None:
            raise ConversionError(path, f"expected null, got {_describe(data)}")
        return None
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _dataclass(hint, data, path)
    origin = typing.get_origin(hint)
    if origin is Union or origin is types.UnionType:
        return _union(hint, data, path)
    if origin is Literal:
        if data not in typing.get_args(hint) or isinstance(data, bool):
            allowed = ", ".join(json.dumps(a) for a in typing.get_args(hint))
            raise ConversionError(path, f"expected one of {allowed}, got {json.dumps(data)[:60]}")
        return data
    if origin is tuple:
        return _tuple(hint, data, path)
    if origin in (dict, Mapping) or hint in (dict, Mapping):
        return _mapping(hint, data, path, frozen=origin is Mapping or hint is Mapping)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(data)
        except ValueError:
            allowed = ", ".join(json.dumps(m.value) for m in hint)
            raise ConversionError(
                path, f"expected one of {allowed}, got {json.dumps(data)[:60]}"
            ) from None
    return _scalar(hint, data, path)


def _scalar(hint: Any, data: JSONData, path: str) -> Any:
    if hint is bool:
        if isinstance(data, bool):
            return data
        raise ConversionError(path, f"expected true or false, got {_describe(data)}")
    if hint is int:
        if isinstance(data, int) and not isinstance(data, bool):
            return data
        raise ConversionError(path, f"expected an integer, got {_describe(data)}")
    if hint is float:
        if isinstance(data, (int, float)) and not isinstance(data, bool):
            return float(data)
        raise ConversionError(path, f"expected a number, got {_describe(data)}")
    if hint is str:
        if isinstance(data, str):
            return data
        raise ConversionError(path, f"expected a string, got {_describe(data)}")
    raise TypeError(f"{path}: type hint {hint!r} is not supported by pqc.jsondata")


def _union(hint: Any, data: JSONData, path: str) -> Any:
    options = [a for a in typing.get_args(hint) if a is not type(None)]
    if data is None and len(options) < len(typing.get_args(hint)):
        return None
    if len(options) != 1:
        raise TypeError(f"{path}: only X | None unions are supported, not {hint!r}")
    return from_data(options[0], data, path)


def _tuple(hint: Any, data: JSONData, path: str) -> tuple[Any, ...]:
    if not isinstance(data, list):
        raise ConversionError(path, f"expected a list, got {_describe(data)}")
    args = typing.get_args(hint)
    if len(args) == 2 and args[1] is Ellipsis:
        item_type = args[0]
        kinds = {type(item) for item in data}
        if item_type in (int, str, bool) and kinds <= {item_type}:
            return tuple(data)  # the common case (sample lists), checked in one pass
        if item_type is float and kinds <= _NUMBERS:
            return tuple(map(float, data))
        return tuple(from_data(item_type, item, f"{path}[{i}]") for i, item in enumerate(data))
    if len(data) != len(args):
        raise ConversionError(path, f"expected a list of {len(args)} items, got {len(data)}")
    pairs = enumerate(zip(args, data, strict=True))
    return tuple(from_data(a, item, f"{path}[{i}]") for i, (a, item) in pairs)


def _mapping(hint: Any, data: JSONData, path: str, *, frozen: bool) -> Mapping[str, Any]:
    if not isinstance(data, dict):
        raise ConversionError(path, f"expected an object, got {_describe(data)}")
    args = typing.get_args(hint) or (str, Any)
    if args[0] is not str:
        raise TypeError(f"{path}: only mappings with str keys are supported, not {hint!r}")
    converted = {key: from_data(args[1], item, _join(path, key)) for key, item in data.items()}
    return types.MappingProxyType(converted) if frozen else converted


def _dataclass(cls: Any, data: JSONData, path: str) -> Any:
    if not isinstance(data, dict):
        raise ConversionError(path, f"expected an object, got {_describe(data)}")
    hints = _hints(cls)
    values: dict[str, Any] = {}
    for item in dataclasses.fields(cls):
        if not item.init:
            continue
        if item.name in data:
            values[item.name] = from_data(hints[item.name], data[item.name], _join(path, item.name))
        elif item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING:
            raise ConversionError(_join(path, item.name), "missing")
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:
        raise ConversionError(path, str(exc)) from exc


def check_convertible(hint: Any, path: str = "", _seen: frozenset[type] = frozenset()) -> None:
    """Raise TypeError when ``hint`` holds a type :func:`from_data` cannot convert (at import)."""
    if hint is Any or hint is None or hint is type(None) or hint in (str, int, float, bool):
        return
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        if hint in _seen:
            return  # a recursive type (a part made of parts) is checked once
        for name, sub in _hints(hint).items():
            check_convertible(sub, _join(path or hint.__name__, name), _seen | {hint})
        return
    origin = typing.get_origin(hint)
    if (isinstance(hint, type) and issubclass(hint, enum.Enum)) or origin is Literal:
        return
    if origin is Union or origin is types.UnionType:
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"{path}: only X | None unions are supported, not {hint!r}")
        check_convertible(options[0], path, _seen)
        return
    if origin is tuple:
        for arg in typing.get_args(hint):
            if arg is not Ellipsis:
                check_convertible(arg, f"{path}[]", _seen)
        return
    if origin in (dict, Mapping):
        key, value = typing.get_args(hint)
        if key is not str:
            raise TypeError(f"{path}: only mappings with str keys are supported, not {hint!r}")
        check_convertible(value, f"{path}{{}}", _seen)
        return
    raise TypeError(f"{path}: type hint {hint!r} is not supported by pqc.jsondata")


# ---------------------------------------------------------------- text
def _encode(data: JSONData, level: int, parts: list[str]) -> None:
    if isinstance(data, dict) and data:
        inner = "  " * (level + 1)
        parts.append("{")
        for index, (key, value) in enumerate(data.items()):
            parts.append(("," if index else "") + "\n" + inner + _ENCODER.encode(key) + ": ")
            _encode(value, level + 1, parts)
        parts.append("\n" + "  " * level + "}")
    elif isinstance(data, list) and data and not {type(item) for item in data} <= _NUMBERS:
        inner = "  " * (level + 1)
        parts.append("[")
        for index, value in enumerate(data):
            parts.append(("," if index else "") + "\n" + inner)
            _encode(value, level + 1, parts)
        parts.append("\n" + "  " * level + "]")
    else:
        parts.append(_ENCODER.encode(data))


def dumps(data: JSONData) -> str:
    """``data`` as JSON text: two-space indents, each list of numbers on one line, no NaN."""
    parts: list[str] = []
    _encode(data, 0, parts)
    return "".join(parts)


def loads(text: str) -> JSONData:
    """Parse JSON ``text``; :class:`ConversionError` for anything that is not valid JSON.

    Catches what :func:`json.loads` raises besides JSONDecodeError: RecursionError
    for nesting deeper than the parser allows, ValueError for an integer longer
    than Python converts (4,300 digits by default).
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConversionError("", f"not JSON ({exc})") from exc
    except RecursionError as exc:
        raise ConversionError("", "not JSON this program reads (nested too deeply)") from exc
    except ValueError as exc:  # int() refusing a long integer literal
        limit = sys.get_int_max_str_digits()
        raise ConversionError(
            "", f"not JSON this program reads (an integer longer than {limit:,} digits)"
        ) from exc
