"""Read a large JSON payload one candidate at a time, so memory does not grow with its size.

A payload is a top-level array of items, or an object whose ``candidates``, ``data`` or
``profiles`` array holds them. :class:`PayloadStream` yields those items one by one and
collects every other top-level key in :attr:`PayloadStream.head`. Parsing uses the same
strict decoder as :func:`candidate_cards.payloads.parse_json`: a BOM is allowed; NaN,
Infinity, numbers no float or int can hold and duplicate keys are not. Every problem is
an :class:`InvalidRenderPayload` naming the source, the line and the column.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import IO, Any

from .errors import ErrorDetail, InvalidRenderPayload
from .payloads import STRICT_JSON, RefusedJSON
from .shapes import SHAPE_OF_ITEMS_KEY, json_type

CHUNK_BYTES = 1 << 20
#: Largest single item or top-level value, in characters, before it is refused.
MAX_VALUE_CHARS = 64 << 20

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER_START = frozenset("-0123456789")
_NUMBER_TAIL = re.compile(r"[0-9.eE+-]*\Z")


class PayloadStream:
    """The items of one payload, read lazily from a binary file."""

    def __init__(self, handle: IO[bytes], source: str) -> None:
        self.source = source
        #: Top-level keys other than the streamed array; complete once items are exhausted.
        self.head: dict[str, Any] = {}
        #: ``None`` for a top-level array; else the key whose items were streamed.
        self.item_key: str | None = None
        self.top_level: str = ""
        self._handle = handle
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._text = ""
        self._pos = 0
        self._eof = False
        self._bytes_read = 0
        self._lines_before = 0  # newlines in text already dropped from the buffer

    def items(self) -> Iterator[Any]:
        """Each item of the payload's array, in order (none for an object without one)."""
        self._skip_whitespace()
        first = self._peek()
        if first == "[":
            self.top_level = "array"
            yield from self._array()
        elif first == "{":
            self.top_level = "object"
            yield from self._object()
        elif not first:
            raise self._error("empty; expected JSON")
        else:
            value = self._value()
            raise InvalidRenderPayload(
                f"{self.source}: expected a JSON object or array, got {json_type(value)}.",
                [ErrorDetail("$", "expected an object or array")],
            )
        self._skip_whitespace()
        if self._peek():
            raise self._error("not valid JSON: extra data after the payload")

    def _object(self) -> Iterator[Any]:
        self._pos += 1
        self._skip_whitespace()
        if self._peek() == "}":
            self._pos += 1
            return
        while True:
            self._skip_whitespace()
            if self._peek() != '"':
                raise self._error("not valid JSON: expecting a property name in double quotes")
            key = self._value()
            self._skip_whitespace()
            self._expect(":")
            self._skip_whitespace()
            if key in self.head or key == self.item_key:
                raise self._error(f"not valid JSON: duplicate key {key!r}")
            if self.item_key is None and key in SHAPE_OF_ITEMS_KEY and self._peek() == "[":
                self.item_key = key
                yield from self._array()
            else:
                self.head[key] = self._value()
            self._skip_whitespace()
            if self._peek() == "}":
                self._pos += 1
                return
            self._expect(",")

    def _array(self) -> Iterator[Any]:
        self._pos += 1
        self._skip_whitespace()
        if self._peek() == "]":
            self._pos += 1
            return
        while True:
            yield self._value()
            self._skip_whitespace()
            if self._peek() == "]":
                self._pos += 1
                return
            self._expect(",")
            self._skip_whitespace()

    def _value(self) -> Any:
        """Decode the value at the cursor, reading more input until it is complete."""
        while True:
            try:
                value, end = STRICT_JSON.raw_decode(self._text, self._pos)
            except json.JSONDecodeError as exc:
                if self._fill_for_value():
                    continue
                raise self._error(f"not valid JSON: {exc.msg}", exc.pos) from None
            except RefusedJSON as exc:
                raise self._error(f"not valid JSON: {exc}") from None
            except RecursionError:
                raise self._error("not valid JSON: nested too deeply") from None
            # A number that runs to the end of the buffer, or stops at a part of a number
            # ("1." before "5" arrives), may continue in the next chunk.
            cut_short = self._text[self._pos] in _NUMBER_START and _NUMBER_TAIL.match(
                self._text, end
            )
            if cut_short and self._fill_for_value():
                continue
            self._pos = end
            return value

    def _fill_for_value(self) -> bool:
        if len(self._text) - self._pos > MAX_VALUE_CHARS:
            raise self._error(f"a single value is larger than {MAX_VALUE_CHARS >> 20} MiB")
        return self._fill()

    def _fill(self) -> bool:
        """Append the next chunk to the buffer; ``False`` at end of input."""
        if self._eof:
            return False
        chunk = self._handle.read(CHUNK_BYTES)
        try:
            decoded = self._decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise self._error(f"not valid UTF-8 (byte {self._bytes_read + exc.start})") from None
        self._bytes_read += len(chunk)
        if not chunk:
            self._eof = True
        if self._pos > CHUNK_BYTES:
            self._lines_before += self._text.count("\n", 0, self._pos)
            self._text = self._text[self._pos :]
            self._pos = 0
        self._text += decoded
        return bool(chunk) or bool(decoded)

    def _skip_whitespace(self) -> None:
        while True:
            blank = _WHITESPACE.match(self._text, self._pos)  # always matches: ``*``
            self._pos = blank.end() if blank else self._pos
            if self._pos < len(self._text) or not self._fill():
                return

    def _peek(self) -> str:
        if self._pos >= len(self._text):
            self._fill()
        return self._text[self._pos : self._pos + 1]

    def _expect(self, char: str) -> None:
        if self._peek() != char:
            raise self._error(f"not valid JSON: expecting {char!r}")
        self._pos += 1

    def _error(self, problem: str, at: int | None = None) -> InvalidRenderPayload:
        at = self._pos if at is None else at
        line = self._lines_before + self._text.count("\n", 0, at) + 1
        column = at - self._text.rfind("\n", 0, at)
        where = f" (line {line}, column {column})" if problem.startswith("not valid JSON") else ""
        detail = ErrorDetail("$", problem)
        return InvalidRenderPayload(f"{self.source}: {problem}{where}.", [detail])
