"""Filling a translated template's %1..%9 in one pass, the way QString.arg(a, b, …) does.

Replacing the markers one after another (str.replace for %1, then again for %2) rewrites a ``%2``
that arrived inside the first value (a village named "%2村"); one regular-expression pass over the
template never looks at a value.
"""

from __future__ import annotations

import re

_MARKER = re.compile(r"%([1-9])")


def fill(template: str, *args: object) -> str:
    """``fill(tr("Row %1 of %2"), done, total)``: each marker replaced once, values never re-read.

    As in Qt, the lowest-numbered marker present takes the first argument, the next one the second
    (so "%2 %5" with two arguments fills both); every occurrence of a marker gets the same value.
    Markers are one digit ("%10" is %1 then "0"); "%%" and "%0" are plain text. Markers left
    without an argument stay as they are; arguments left without a marker are ignored.
    """
    numbers = sorted({int(digit) for digit in _MARKER.findall(template)})
    values = {number: str(value) for number, value in zip(numbers, args)}
    return _MARKER.sub(lambda found: values.get(int(found.group(1)), found.group(0)), template)


_SEPARATORS = re.compile(r"([/\\])")
ZERO_WIDTH_SPACE = "\u200b"


def breakable(path: object) -> str:
    """A path a word-wrapped label may break after any ``/`` or ``\\`` (a zero-width space there):
    a long path has no spaces, so a label could only clip it."""
    return _SEPARATORS.sub(lambda found: found.group(1) + ZERO_WIDTH_SPACE, str(path))
