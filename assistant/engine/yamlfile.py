"""Safe YAML loading that remembers where every value came from.

Files are composed with PyYAML's safe (libyaml when present) loader; values are built
from the node tree so that each one keeps its line. Typed conversion goes through msgspec,
and its error path is mapped back to that line, so a bad file is reported as
``file:line: field: message``.
"""

from __future__ import annotations

import math
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


# Limits: no file the project reads comes near them; hostile files stop here, located.
MAX_BYTES = 4_000_000          # size of one file
MAX_DEPTH = 64                 # nesting of mappings and sequences
MAX_ALIASES = 1_000            # aliases (*name) in one file
MAX_VALUES = 250_000           # values once aliases are expanded (an alias bomb stops here)
MAX_DIGITS = 15                # digits of an integer: more is no measurement or count

_BOMS = {b"\xff\xfe\x00\x00": "UTF-32", b"\x00\x00\xfe\xff": "UTF-32", b"\xff\xfe": "UTF-16",
         b"\xfe\xff": "UTF-16"}
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def load(path: Path, root: Path | None = None) -> Located:
    """Read one YAML file safely; every fault becomes a located LoadError."""
    shown = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise LoadError([Problem(shown, None, "", f"cannot read file: {exc.strerror or exc}")]) from None
    if len(raw) > MAX_BYTES:
        raise LoadError([Problem(shown, None, "", f"the file is larger than {MAX_BYTES:,} bytes")])
    return parse(decode(raw, shown), shown)


def decode(raw: bytes, shown: str) -> str:
    """UTF-8 text, or a LoadError naming the line of the first byte that is not."""
    for bom, name in _BOMS.items():
        if raw.startswith(bom):
            raise LoadError([Problem(shown, 1, "", f"the file is {name} text: save it as UTF-8")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise LoadError([Problem(shown, line, "", f"not UTF-8 text (byte 0x{raw[exc.start]:02x}): "
                                                 "save the file as UTF-8")]) from None
    return text


def parse(text: str, shown: str) -> Located:
    """Parse YAML text (named ``shown`` in messages) into located data."""
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise LoadError([Problem(shown, line, "", "the file contains a NUL character")])
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#")
                               for ln in text.splitlines()):
        raise LoadError([Problem(shown, 1, "", "the file is empty")])
    try:
        _scan(text, shown)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = mark.line + 1 if mark is not None else None
        message = f"invalid YAML: {exc.problem}" + (f" ({exc.context})" if exc.context else "")
        raise LoadError([Problem(shown, at, "", message)]) from None
    except yaml.reader.ReaderError as exc:
        line = text[:exc.position].count("\n") + 1
        raise LoadError([Problem(shown, line, "", f"invalid YAML: {exc.reason}")]) from None
    except yaml.YAMLError as exc:
        raise LoadError([Problem(shown, None, "", f"invalid YAML: {exc}")]) from None
    lines: dict[PathKey, int] = {}
    problems: list[Problem] = []
    builder = _Builder(shown, lines, problems)
    try:
        data = None if node is None else builder.build(node, ())
    except _TooBig as exc:
        raise LoadError([Problem(shown, exc.line, "", f"more than {MAX_VALUES:,} values once "
                                                      "aliases are expanded")]) from None
    if problems:
        raise LoadError(problems)
    return Located(shown, data, lines)


def _scan(text: str, shown: str) -> None:
    """Check the event stream before anything is built: nesting depth, the number of
    aliases, and explicit tags (only the plain types YAML infers are accepted)."""
    depth = aliases = 0
    for event in yaml.parse(text, Loader=_Loader):
        assert event.start_mark is not None   # the parser marks every event
        line = event.start_mark.line + 1
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise LoadError([Problem(shown, line, "", f"nested more than {MAX_DEPTH} levels deep")])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise LoadError([Problem(shown, line, "", f"more than {MAX_ALIASES} aliases")])
        tag = getattr(event, "tag", None)
        implicit = getattr(event, "implicit", True)
        if tag is not None and not (implicit is True or (isinstance(implicit, tuple) and any(implicit))):
            raise LoadError([Problem(shown, line, "", f"explicit tags such as '{tag}' are not "
                                                      "accepted: write the plain value")])


class _TooBig(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _Builder:
    """Turns a composed node tree into plain data, recording each value's line. Shared
    (aliased) nodes are built each time they are used, within a budget of values; an
    alias inside the value it names is refused."""

    def __init__(self, shown: str, lines: dict[PathKey, int], problems: list[Problem]):
        self.shown, self.lines, self.problems = shown, lines, problems
        self.constructor = yaml.constructor.SafeConstructor()
        self.built = 0
        self.open: set[int] = set()    # nodes being built (an alias to one of them is a cycle)

    def fault(self, node: yaml.Node, path: PathKey, message: str) -> None:
        self.problems.append(Problem(self.shown, node.start_mark.line + 1, format_path(path), message))

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.built += 1
        if self.built > MAX_VALUES:
            raise _TooBig(node.start_mark.line + 1)
        self.lines[path] = node.start_mark.line + 1
        if id(node) in self.open:
            self.fault(node, path, "an alias refers to the value that contains it")
            return None
        if isinstance(node, yaml.MappingNode):
            self.open.add(id(node))
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
            self.open.discard(id(node))
            return out
        if isinstance(node, yaml.SequenceNode):
            self.open.add(id(node))
            items = [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
            self.open.discard(id(node))
            return items
        return self.scalar(node, path)

    def scalar(self, node: yaml.Node, path: PathKey) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return None
        if node.tag == _TIMESTAMP:
            return node.value          # a date stays the text written
        if node.tag == "tag:yaml.org,2002:int" and \
                sum(c.isdigit() for c in node.value) > MAX_DIGITS:
            self.fault(node, path, f"a number with more than {MAX_DIGITS} digits")
            return None
        try:
            value = self.constructor.construct_object(node)
        except (yaml.constructor.ConstructorError, ValueError, TypeError, OverflowError) as exc:
            problem = getattr(exc, "problem", None) or str(exc)
            self.fault(node, path, f"cannot read '{node.value[:40]}': {problem}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.fault(node, path, f"'{node.value}' is not a finite number")
            return None
        return value


def document(located: Located, kind: type[T], key: str | None = None) -> T:
    """Convert a whole document (or its top-level ``key``) to a typed object."""
    data = located.data
    path: PathKey = ()
    if key is not None:
        if not isinstance(data, dict) or key not in data:
            raise LoadError([located.problem((), f"expected a top-level '{key}' entry")])
        data, path = data[key], (key,)
    return located.convert(path, data, kind)
