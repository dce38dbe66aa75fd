"""Safe YAML loading that remembers where every value came from.

Files are read from the event stream of PyYAML's safe parser (libyaml when present), in one
pass that builds the values, remembers the line of each and stops at the limits below.
Typed conversion goes through msgspec, and its error path is mapped back to that line, so
a bad file is reported as ``file:line: field: message``; an ``Origin`` keeps a record's
place so that later checks can name the line of any of its fields.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
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

    def __init__(self, file: str, data: Any, lines: Mapping[PathKey, int]):
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

    def origin(self, path: PathKey) -> Origin:
        """Where the value at ``path`` is, to locate its fields later."""
        return Origin(self.file, path, self.lines)

    def convert(self, path: PathKey, value: Any, kind: type[T]) -> T:
        """Convert ``value`` (found at ``path``) to ``kind``, or raise a located LoadError."""
        try:
            return msgspec.convert(value, kind, strict=True)
        except msgspec.ValidationError as exc:
            message, sub = _split_msgspec_error(str(exc))
            raise LoadError([self.problem(path + sub, message)]) from None


@dataclass(frozen=True)
class Origin:
    """Where a record was defined: its file, its path in the file, and the file's lines."""

    file: str
    path: PathKey
    lines: Mapping[PathKey, int] = field(repr=False, compare=False)

    def line(self, field: str = "") -> int | None:
        """The line of one of the record's fields ("cautions[0].when"), or of the record."""
        path = self.path + parse_path(field)
        while path not in self.lines and len(path) > len(self.path):
            path = path[:-1]
        return self.lines.get(path)

    def where(self, field: str = "") -> str:
        """"file:line" of the record, or of one of its fields."""
        line = self.line(field)
        return f"{self.file}:{line}" if line else self.file

    def problem(self, key: str, field: str, message: str) -> Problem:
        return Problem(self.file, self.line(field), f"{key}.{field}" if field else key, message)


def parse_path(text: str) -> PathKey:
    """``"a.b[2].c"`` as a path (the inverse of ``format_path``)."""
    return tuple(int(index) if index else (name or key)
                 for name, index, key in _PART.findall("." + text if text and text[0] != "["
                                                        else text))


def format_path(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_AT = re.compile(r"^(?P<msg>.*?)(?: - at (?P<key>`key` in )?`\$(?P<path>[^`]*)`)?$", re.S)
_PART = re.compile(r"\.([A-Za-z_][\w-]*)|\[(\d+)\]|\[(?:'|\")?([^\]'\"]+)(?:'|\")?\]")


def _split_msgspec_error(text: str) -> tuple[str, PathKey]:
    match = _AT.match(text)
    assert match is not None
    parts = parse_path(match.group("path") or "")
    message = match.group("msg").replace("`", "'")
    if match.group("key"):
        message = f"{message} (as a key)"
    return message, parts


# Limits: no file the project reads comes near them; hostile files stop here, located.
MAX_BYTES = 4_000_000          # size of one file
MAX_DEPTH = 64                 # nesting of mappings and sequences
MAX_ALIASES = 1_000            # aliases (*name) in one file
MAX_VALUES = 250_000           # values once aliases are expanded (an alias bomb stops here)
MAX_DIGITS = 15                # digits of an integer: more is no measurement or count

_BOMS = {b"\xff\xfe\x00\x00": "UTF-32", b"\x00\x00\xfe\xff": "UTF-32", b"\xff\xfe": "UTF-16",
         b"\xfe\xff": "UTF-16"}
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_NO_KEY = object()        # a mapping waiting for its next key


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
    builder = _Builder(shown)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
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
    if builder.problems:
        raise LoadError(builder.problems)
    return Located(shown, builder.data, builder.lines)


@dataclass
class _Frame:
    """A mapping or sequence being read: its value so far, where it is, its size."""

    value: dict[Any, Any] | list[Any]
    path: PathKey
    anchor: str | None
    size: int = 1                    # values inside, aliases counted expanded
    key: Any = _NO_KEY               # a mapping's key waiting for its value
    skip: bool = False               # the key was refused: drop its value


class _Builder:
    """Builds plain data from the parser's events with an explicit stack (no recursion, so
    no depth limit but ours), recording each value's line. Refuses, located: nesting over
    MAX_DEPTH, explicit tags, merge keys, non-scalar or duplicate keys, an alias inside the
    value it names, more than MAX_VALUES values once aliases are expanded, integers over
    MAX_DIGITS digits and non-finite numbers."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.lines: dict[PathKey, int] = {}
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}    # name -> (value, expanded size)
        self.open_anchors: set[str] = set()
        self.data: Any = None
        self.total = 0
        self.aliases = 0
        self.documents = 0
        self.resolver = yaml.resolver.Resolver()
        self.constructor = yaml.constructor.SafeConstructor()
        self.tags: dict[str, str] = {}                     # plain scalar -> resolved tag

    def fault(self, line: int, path: PathKey, message: str) -> None:
        self.problems.append(Problem(self.shown, line, format_path(path), message))

    def stop(self, line: int, message: str) -> None:
        raise LoadError([*self.problems, Problem(self.shown, line, "", message)])

    def feed(self, event: yaml.Event) -> None:
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.stop(line, "expected one YAML document, found more")
            return
        if not isinstance(event, (yaml.NodeEvent, yaml.CollectionEndEvent)):
            return
        self._refuse_explicit_tag(event, line)
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(self.stack) >= MAX_DEPTH:
                self.stop(line, f"nested more than {MAX_DEPTH} levels deep")
            path = self._child_path(line)
            value: dict[Any, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
            self.stack.append(_Frame(value, path, event.anchor))
            if event.anchor:
                self.open_anchors.add(event.anchor)
            self._count(1, line)
            return
        if isinstance(event, yaml.CollectionEndEvent):
            frame = self.stack.pop()
            if frame.anchor:
                self.open_anchors.discard(frame.anchor)
                self.anchors[frame.anchor] = (frame.value, frame.size)
            self._deliver(frame.value, frame.size, line, scalar=False)
            return
        if isinstance(event, yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                self.stop(line, f"more than {MAX_ALIASES} aliases")
            name = event.anchor or ""
            if name in self.open_anchors:
                self.fault(line, self._child_path(line), "an alias refers to the value that contains it")
                self._deliver(None, 1, line, scalar=True)
                return
            if name not in self.anchors:
                self.stop(line, f"invalid YAML: found undefined alias '{name}'")
            shared, size = self.anchors[name]
            self._count(size, line)
            self._deliver(copy.deepcopy(shared), size, line, scalar=not isinstance(shared, (dict, list)))
            return
        assert isinstance(event, yaml.ScalarEvent)
        self._count(1, line)
        tag = self._tag(event)
        value = self._scalar(event.value, tag, line)
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)
        self._deliver(value, 1, line, scalar=True, tag=tag)

    def _refuse_explicit_tag(self, event: yaml.Event, line: int) -> None:
        tag = getattr(event, "tag", None)
        implicit = getattr(event, "implicit", True)
        if tag is not None and not (implicit is True or (isinstance(implicit, tuple) and any(implicit))):
            self.stop(line, f"explicit tags such as '{tag}' are not accepted: write the plain value")

    def _count(self, size: int, line: int) -> None:
        self.total += size
        for frame in self.stack:
            frame.size += size
        if self.total > MAX_VALUES:
            self.stop(line, f"more than {MAX_VALUES:,} values once aliases are expanded")

    def _child_path(self, line: int) -> PathKey:
        """Where the next value goes, its line recorded."""
        if not self.stack:
            path: PathKey = ()
        else:
            frame = self.stack[-1]
            if isinstance(frame.value, list):
                path = frame.path + (len(frame.value),)
            elif frame.key is _NO_KEY:
                path = frame.path           # a key being read: located at its mapping
            else:
                path = frame.path + (frame.key,)
        self.lines.setdefault(path, line)
        return path

    def _deliver(self, value: Any, size: int, line: int, *, scalar: bool,
                 tag: str | None = None) -> None:
        if not self.stack:
            self.lines.setdefault((), line)
            self.data = value
            return
        frame = self.stack[-1]
        if isinstance(frame.value, list):
            self.lines.setdefault(frame.path + (len(frame.value),), line)
            frame.value.append(value)
            return
        if frame.key is _NO_KEY:                       # this value is a key
            if tag == _MERGE:
                self.fault(line, frame.path, "YAML merge keys ('<<') are not supported")
                frame.key, frame.skip = None, True
            elif not scalar or not isinstance(value, (str, int, float, bool)):
                self.fault(line, frame.path, "mapping keys must be plain scalars")
                frame.key, frame.skip = None, True
            else:
                key = value if isinstance(value, str) else str(value).lower()
                if key in frame.value:
                    self.fault(line, frame.path + (key,), "duplicate key")
                    frame.key, frame.skip = None, True
                else:
                    frame.key, frame.skip = key, False
            return
        if not frame.skip:
            self.lines.setdefault(frame.path + (frame.key,), line)
            frame.value[frame.key] = value
        frame.key, frame.skip = _NO_KEY, False

    def _tag(self, event: yaml.ScalarEvent) -> str:
        if event.style or not event.implicit[0]:
            return _STR                               # quoted or block text: always text
        tag = self.tags.get(event.value)
        if tag is None:
            tag = self.tags[event.value] = self.resolver.resolve(yaml.ScalarNode, event.value,
                                                                 (True, False))
        return tag

    def _scalar(self, text: str, tag: str, line: int) -> Any:
        if tag in (_STR, _TIMESTAMP):
            return text                               # a date stays the text written
        if tag == _INT and sum(c.isdigit() for c in text) > MAX_DIGITS:
            self.fault(line, self._child_path(line), f"a number with more than {MAX_DIGITS} digits")
            return None
        try:
            value = self.constructor.construct_object(yaml.ScalarNode(tag, text))
        except (yaml.constructor.ConstructorError, ValueError, TypeError, OverflowError) as exc:
            problem = getattr(exc, "problem", None) or str(exc)
            self.fault(line, self._child_path(line), f"cannot read '{text[:40]}': {problem}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.fault(line, self._child_path(line), f"'{text}' is not a finite number")
            return None
        return value


def document(located: Located, kind: type[T]) -> T:
    """Convert a whole document to a typed object."""
    return located.convert((), located.data, kind)
