"""Loading a rapporteur's YAML file (manifest, codebook, curation) safely, with ``path:line`` errors.

:func:`load` is the one way in for ``conference.yml``, a theme codebook and ``curation.yml``:

- the bytes come through :func:`outcomes.files.read_limited`, so a FIFO, a device,
  ``/dev/zero`` or a file over :data:`~outcomes.files.MAX_YAML_BYTES` is refused at once;
- the text must be UTF-8 (a byte-order mark is fine);
- the YAML node graph is composed once and checked before any value is built: a key
  given twice, a key YAML reads as a number, a date or true/false, a value that refers
  to itself, and aliases expanding past :data:`MAX_NODES` values or
  :data:`MAX_CHARACTERS` characters (an "alias bomb": a few hundred bytes can stand
  for a billion values) are refused;
- a date or number YAML cannot build is named with its line.

Every walk over the graph visits each node once, however many aliases point at it,
so a bomb costs what its file costs. :func:`validate` checks the values against a
JSON schema and :func:`refuse_control_characters` refuses invisible control
characters. Every value quoted in a message goes through :func:`outcomes.errors.shorten`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Type

import jsonschema
import yaml

from .errors import InputError, shorten
from .files import MAX_YAML_BYTES, read_limited

#: Most values (mappings, lists and scalars) a file may stand for once its aliases are expanded.
MAX_NODES = 100_000
#: Most characters of text a file may stand for once its aliases are expanded.
MAX_CHARACTERS = 4 * MAX_YAML_BYTES

_TAG = "tag:yaml.org,2002:"
# "<<" merges a mapping and "=" is read as text by the safe constructor: both are keys YAML allows as text
_TEXT_KEY_TAGS = (_TAG + "str", _TAG + "merge", _TAG + "value")
_KEY_KINDS = {"int": "a number", "float": "a number", "bool": "true or false", "null": "null (no value)",
              "timestamp": "a date"}
# C0 controls but tab, newline and carriage return; DEL; C1 controls. Bidi marks are legitimate text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Document:
    """A YAML file as loaded: its bytes, its node graph (for lines) and its values."""

    path: Path
    raw: bytes
    node: Optional[yaml.Node]
    data: Any

    def line(self, keys: Sequence) -> Optional[int]:
        """Return the 1-based line of the value at ``keys`` (see :func:`line_of`)."""
        return line_of(self.node, keys)


def load(path, error: Type[InputError], what: str) -> Document:
    """Read, decode, check and build one YAML file.

    Parameters
    ----------
    path : str or Path
        The file (symbolic links are followed; where they lead is the caller's check).
    error : type
        The :class:`~outcomes.errors.InputError` subclass to raise.
    what : str
        What the file is, for messages ("conference manifest", "codebook", "curation file").

    Returns
    -------
    Document
        ``data`` is None for an empty file.

    Raises
    ------
    InputError
        Of type ``error``, naming the file and, where there is one, the line.
    """
    path = Path(path)
    raw = read_limited(path, MAX_YAML_BYTES, error, what)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error("is not UTF-8 text; save it as UTF-8", path) from exc
    try:
        node, data = _parse(text, path, error)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "unreadable"
        raise error(f"is not valid YAML: {_cut(problem)}", path, mark.line + 1 if mark else None) from exc
    except yaml.reader.ReaderError as exc:  # a raw control character; PyYAML's message spans lines
        raise error(f"holds the character U+{exc.character:04X}, an invisible control character YAML does not "
                    "allow; delete it", path,
                    text.count("\n", 0, exc.position) + 1) from exc
    except yaml.YAMLError as exc:
        raise error(f"is not valid YAML: {_cut(str(exc))}", path) from exc
    except RecursionError as exc:
        raise error(f"is nested too deeply to be a {what}", path) from exc
    return Document(path, raw, node, data)


def _parse(text: str, path: Path, error: Type[InputError]) -> Tuple[Optional[yaml.Node], Any]:
    """Return the checked node graph of ``text`` and the values built from it."""
    loader = yaml.SafeLoader(text)  # this already refuses raw control characters
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_keys(node, path, error)
            _check_expansion(node, path, error)
        return node, _construct(loader, node, path, error)
    finally:
        loader.dispose()


def line_of(node: Optional[yaml.Node], keys: Sequence) -> Optional[int]:
    """Return the 1-based line of the YAML node at ``keys`` (mapping keys and list indexes).

    Where the path stops matching (a key merged in with ``<<``, a missing index),
    the line of the deepest node reached is returned; None when there is no node.
    """
    line = node.start_mark.line + 1 if node is not None else None
    for part in keys:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part or (not isinstance(part, str) and key.value == str(part)):
                    node = value
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            return line
        line = node.start_mark.line + 1
    return line


def validate(document: Document, schema: dict, error: Type[InputError], what: str,
             explain: Optional[Callable[[jsonschema.ValidationError], Optional[str]]] = None) -> None:
    """Raise the first way ``document`` breaks ``schema``, at its line.

    Parameters
    ----------
    document : Document
        The loaded file.
    schema : dict
        A JSON schema (draft 2020-12).
    error : type
        The :class:`~outcomes.errors.InputError` subclass to raise.
    what : str
        What the file is, for an error about the whole file ("the codebook: ...").
    explain : callable, optional
        Given the schema error, return a message clearer than the generic one for
        this file, or None to keep the generic one ("where: what is wrong").

    Raises
    ------
    InputError
        Of type ``error``, when the values break the schema.
    """
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(document.data),
                    key=lambda e: [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in e.path])
    if not errors:
        return
    first = errors[0]
    keys, message = describe(first)
    where = ".".join(str(p) for p in first.path) or f"the {what}"
    custom = explain(first) if explain else None
    raise error(custom or f"{where}: {message}", document.path, document.line(keys))


def describe(error: jsonschema.ValidationError) -> Tuple[List, str]:
    """Return the key path to point at and a short message for a schema error.

    jsonschema's own messages print the whole offending value, which may be a
    long text; here every value quoted is cut by :func:`outcomes.errors.shorten`.
    """
    keys = list(error.path)
    instance, kind, expected = error.instance, error.validator, error.validator_value
    if kind == "additionalProperties" and isinstance(instance, dict):
        extra = unknown_keys(error)
        if extra:
            known = ", ".join(sorted(error.schema.get("properties", {})))
            return keys + [extra[0]], f"unknown key {shorten(extra[0])} (known keys: {known})"
    if kind == "required" and isinstance(instance, dict):
        missing = [k for k in expected if k not in instance] or list(expected)
        return keys, f"{shorten(missing[0])} is a required property"
    if kind == "type" and isinstance(instance, str) and "array" in expected:
        # not a list of one-letter items, which is what the text would be read as
        return keys, (f"{shorten(instance)} is not of type 'array': it is one text, not a list; write a list, "
                      f"as [{_cut(instance, 40)}], or one '- item' per line")
    if kind == "type":
        types = [expected] if isinstance(expected, str) else list(expected)
        return keys, f"{shorten(instance)} is not of type {', '.join(repr(t) for t in types)}"
    if kind == "pattern":
        return keys, f"{shorten(instance)} does not match {expected!r}"
    if kind in ("minItems", "minLength", "minProperties"):
        return keys, (f"{shorten(instance)} should be non-empty" if expected == 1
                      else f"{shorten(instance)} is too short (at least {expected})")
    if kind == "enum":
        return keys, f"{shorten(instance)} is not one of {', '.join(str(v) for v in expected)}"
    bounds = {"minimum": "below the minimum of", "exclusiveMinimum": "not above", "maximum": "above the maximum of",
              "exclusiveMaximum": "not below"}
    if kind in bounds:
        return keys, f"{shorten(instance)} is {bounds[kind]} {expected}"
    return keys, f"{shorten(instance)} is not valid here ({kind}: {shorten(expected)})"


def unknown_keys(error: jsonschema.ValidationError) -> List[str]:
    """Return the keys an ``additionalProperties`` error is about, sorted (never empty for such an error)."""
    schema = error.schema
    allowed = set(schema.get("properties", {}))
    patterns = list(schema.get("patternProperties", {}))
    return sorted(str(k) for k in error.instance
                  if k not in allowed and not any(re.search(p, str(k)) for p in patterns))


def refuse_control_characters(document: Document, error: Type[InputError]) -> None:
    """Refuse a key or text holding a control character (NUL, ESC, a C1 control...).

    They are invisible in an editor and would reach the HTML report and
    findings.csv as is. Tab, newline and carriage return are fine, and so are
    bidirectional marks, which Arabic and Hebrew names need.

    Raises
    ------
    InputError
        Of type ``error``, at the line of the text.
    """
    if document.node is None:
        return
    for node in _nodes(document.node):
        if isinstance(node, yaml.ScalarNode):
            found = _CONTROL.search(node.value)
            if found:
                raise error(f"the text {shorten(node.value)} holds the invisible control character "
                            f"U+{ord(found.group()):04X}; delete it (in double quotes, look for a \\x, \\u, "
                            "\\e or \\0 escape)", document.path, node.start_mark.line + 1)


def _children(node: yaml.Node) -> List[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _nodes(root: yaml.Node) -> Iterator[yaml.Node]:
    """Yield every node of the graph once, in document order (an alias is not followed twice)."""
    seen = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        stack.extend(reversed(_children(node)))


def _check_keys(root: yaml.Node, path: Path, error: Type[InputError]) -> None:
    """Refuse a key given twice in a mapping (YAML keeps the last silently) or a key that is not text."""
    for node in _nodes(root):
        if not isinstance(node, yaml.MappingNode):
            continue
        seen: Dict[str, int] = {}
        for key, _ in node.value:
            line = key.start_mark.line + 1
            if not isinstance(key, yaml.ScalarNode):
                raise error("a key is a list or a mapping; every key must be text", path, line)
            if key.tag not in _TEXT_KEY_TAGS:
                kind = _KEY_KINDS.get(key.tag[len(_TAG):], f"'{_cut(key.tag, 40)}'")
                raise error(f"key {_cut(key.value, 40)} is read by YAML as {kind}, not text; put it in quotes "
                            f"(\"{_cut(key.value, 40)}\")", path, line)
            if key.tag != _TAG + "str":
                continue
            if key.value in seen:
                raise error(f"key {shorten(key.value)} is given twice (first at line {seen[key.value]}); keep one",
                            path, line)
            seen[key.value] = line


def _check_expansion(root: yaml.Node, path: Path, error: Type[InputError]) -> None:
    """Refuse a graph that refers to itself or that aliases blow up past the limits.

    Sizes are counted bottom-up and remembered per node, so each node is
    visited once; the first node found too big is the one named.
    """
    sizes: Dict[int, Tuple[int, int]] = {}
    open_nodes = set()  # started, not finished: the ancestors of the node at hand
    stack: List[Tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            open_nodes.discard(id(node))
            count, characters = 1, len(node.value) if isinstance(node, yaml.ScalarNode) else 0
            for child in _children(node):
                child_count, child_characters = sizes[id(child)]
                count += child_count
                characters += child_characters
            sizes[id(node)] = (count, characters)
            _refuse_too_big(node, count, characters, path, error)
            continue
        if id(node) in sizes:
            continue
        if id(node) in open_nodes:
            raise error("a YAML alias here refers to the value that holds it, which would never end; "
                        "write the value out", path, node.start_mark.line + 1)
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(_children(node)))


def _refuse_too_big(node: yaml.Node, count: int, characters: int, path: Path, error: Type[InputError]) -> None:
    if count > MAX_NODES:
        size = f"more than {MAX_NODES:,} values"
    elif characters > MAX_CHARACTERS:
        size = f"more than {MAX_CHARACTERS:,} characters"
    else:
        return
    raise error(f"this value stands for {size} once its YAML aliases are expanded; "
                "write the values out instead of repeating aliases", path, node.start_mark.line + 1)


def _construct(loader: yaml.SafeLoader, node: Optional[yaml.Node], path: Path, error: Type[InputError]):
    """Build the values of a checked graph, naming the line of a scalar that cannot be built."""
    if node is None:
        return None
    try:
        return loader.construct_document(node)
    except (ValueError, OverflowError) as exc:  # 2024-02-30, or an integer of 5,000 digits
        bad = _unbuildable(node)
        if bad is None:
            raise error(f"is not valid YAML: {_cut(str(exc))}", path) from exc
        if bad.tag == _TAG + "timestamp":
            message = f"{_cut(bad.value)} is not a real date (write YYYY-MM-DD)"
        else:
            kind = _KEY_KINDS.get(bad.tag[len(_TAG):], f"'{_cut(bad.tag, 40)}'")
            message = f"{shorten(bad.value)} cannot be read as {kind}; put it in quotes if it is text"
        raise error(message, path, bad.start_mark.line + 1) from exc


def _unbuildable(root: yaml.Node) -> Optional[yaml.ScalarNode]:
    """Return the first scalar whose value cannot be built, or None."""
    for node in _nodes(root):
        if isinstance(node, yaml.ScalarNode):
            try:
                yaml.constructor.SafeConstructor().construct_object(node)
            except (ValueError, OverflowError, yaml.YAMLError):
                return node
    return None


def _cut(text: str, limit: int = 120) -> str:
    """Return ``text`` on one line, cut to ``limit`` characters, for a message (unquoted, unlike ``shorten``)."""
    text = " ".join(text.split())  # an error is one line
    return text if len(text) <= limit else text[: limit - 1] + "…"
