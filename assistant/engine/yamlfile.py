"""Safe YAML loading that remembers where every value came from.

Files are composed with PyYAML's safe (libyaml when present) loader; values are built
from the node tree so that each one keeps its line. Typed conversion goes through msgspec,
and its error path is mapped back to that line, so a bad file is reported as
``file:line: field: message``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

import msgspec
import yaml

from .errors import LoadError, Problem

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

T = TypeVar("T")
PathKey = tuple[str | int, ...]


class Located:
    """A YAML document's data plus the line (1-based) of every value in it."""

    def __init__(self, file: str, data: Any, lines: dict[PathKey, int]):
        self.file = file
        self.data = data
        self.lines = lines

    def line(self, path: PathKey) -> int | None:
        """Line of the value at ``path``, or of its nearest located parent."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def problem(self, path: PathKey, message: str) -> Problem:
        return Problem(self.file, self.line(path), format_path(path), message)

    def convert(self, path: PathKey, value: Any, kind: type[T]) -> T:
        """Convert ``value`` (found at ``path``) to ``kind``, or raise a located LoadError."""
        try:
            return msgspec.convert(value, kind, strict=True)
        except msgspec.ValidationError as exc:
            message, sub = _split_msgspec_error(str(exc))
            raise LoadError([self.problem(path + sub, message)]) from None


def format_path(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_AT = re.compile(r"^(?P<msg>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_PART = re.compile(r"\.([A-Za-z_][\w-]*)|\[(\d+)\]|\[(?:'|\")?([^\]'\"]+)(?:'|\")?\]")


def _split_msgspec_error(text: str) -> tuple[str, PathKey]:
    match = _AT.match(text)
    assert match is not None
    parts: list[str | int] = []
    for name, index, key in _PART.findall(match.group("path") or ""):
        parts.append(int(index) if index else (name or key))
    message = match.group("msg").replace("`", "'")
    return message, tuple(parts)


def load(path: Path, root: Path | None = None) -> Located:
    """Read one YAML file safely; syntax errors, duplicate keys and tags become LoadErrors."""
    shown = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoadError([Problem(shown, None, "", f"cannot read file: {exc}")]) from None
    return parse(text, shown)


def parse(text: str, shown: str) -> Located:
    """Parse YAML text (named ``shown`` in messages) into located data."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        message = f"invalid YAML: {exc.problem}" + (f" ({exc.context})" if exc.context else "")
        raise LoadError([Problem(shown, line, "", message)]) from None
    except yaml.YAMLError as exc:
        raise LoadError([Problem(shown, None, "", f"invalid YAML: {exc}")]) from None
    lines: dict[PathKey, int] = {}
    problems: list[Problem] = []
    builder = _Builder(shown, lines, problems)
    data = None if node is None else builder.build(node, ())
    if problems:
        raise LoadError(problems)
    return Located(shown, data, lines)


class _Builder:
    """Turns a composed node tree into plain data, recording each value's line."""

    def __init__(self, shown: str, lines: dict[PathKey, int], problems: list[Problem]):
        self.shown, self.lines, self.problems = shown, lines, problems
        self.constructor = yaml.constructor.SafeConstructor()

    def fault(self, node: yaml.Node, path: PathKey, message: str) -> None:
        self.problems.append(Problem(self.shown, node.start_mark.line + 1, format_path(path), message))

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.fault(key_node, path, "YAML merge keys ('<<') are not supported")
                    continue
                key = self.scalar(key_node, path)
                if not isinstance(key, (str, int, float, bool)):
                    self.fault(key_node, path, "mapping keys must be plain scalars")
                    continue
                key = key if isinstance(key, str) else str(key).lower()
                if key in out:
                    self.fault(key_node, path + (key,), "duplicate key")
                    continue
                out[key] = self.build(value_node, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def scalar(self, node: yaml.Node, path: PathKey) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return None
        try:
            return self.constructor.construct_object(node)
        except yaml.constructor.ConstructorError as exc:
            self.fault(node, path, str(exc.problem))
            return None


def document(located: Located, kind: type[T], key: str | None = None) -> T:
    """Convert a whole document (or its top-level ``key``) to a typed object."""
    data = located.data
    path: PathKey = ()
    if key is not None:
        if not isinstance(data, dict) or key not in data:
            raise LoadError([located.problem((), f"expected a top-level '{key}' entry")])
        data, path = data[key], (key,)
    return located.convert(path, data, kind)
