"""Where a PDF page prints its text: the baseline of every text-showing operator of its content stream.

The dossier's running header needs to know whether anything is printed above a chapter's heading
(:func:`analysis.pipeline.combined.parts_opening`). pypdf's text extraction tells, but decodes every
glyph and took some 25 ms a page, on every page a part starts on and at every print; the positions
alone come from one pass of a regular expression over the page's content stream and a little
bookkeeping of the transformation matrices (PDF 1.7, 8.3.2 and 9.4.2), in a sixth of the time.

The page's own content stream is read, not the forms (XObjects) it draws: Chromium prints a
document's text there, and its images and forms hold no text of the document's own.
"""

from __future__ import annotations

import re

_N = rb"([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))\s+"  # a number operand
_OPERATOR_AFTER = rb"(?<![^\s\]\)>])"  # an operator stands after a space or a delimiter, not inside a name
_OPERATOR_END = rb"(?![^\s/\[\]()<>{}%])"
#: What moves the text or shows it, with its number operands; literal strings and inline images are matched only to be
#: passed over whole (a string may hold any word, an image any byte). Hex strings hold no operator's letters.
_OPERATION = re.compile(
    rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)"
    + rb"|"
    + _OPERATOR_AFTER
    + rb"(?:"
    + rb"ID\s.*?\sEI"
    + rb"|"
    + _N * 6
    + rb"(?P<six>cm|Tm)"
    + rb"|"
    + _N * 2
    + rb"(?P<two>Td|TD)"
    + rb"|"
    + _N
    + rb"(?P<one>TL)"
    + rb"|(?P<op>q|Q|BT|T\*|Tj|TJ|'|\")"
    + rb")"
    + _OPERATOR_END,
    re.S,
)

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _times(m: Matrix, n: Matrix) -> Matrix:
    """The product m × n of two PDF matrices [a b c d e f]: ``m`` applied first."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def baselines(data: bytes) -> list[float]:
    """The height on the page (PDF units up from the foot) of each piece of text a content stream shows, in the
    order shown: where the text's origin lands once the text and transformation matrices are applied."""
    out: list[float] = []
    ctm, stack = IDENTITY, []
    tm = line = IDENTITY
    leading = 0.0
    for match in _OPERATION.finditer(data):
        if match["six"]:
            matrix: Matrix = tuple(float(match[n]) for n in range(1, 7))  # type: ignore[assignment]
            if match["six"] == b"cm":
                ctm = _times(matrix, ctm)
            else:
                tm = line = matrix
        elif match["two"]:
            tx, ty = float(match[8]), float(match[9])  # groups 1-6 and 7 are cm and Tm's
            if match["two"] == b"TD":
                leading = -ty
            tm = line = _times((1.0, 0.0, 0.0, 1.0, tx, ty), line)
        elif match["one"]:
            leading = float(match[11])
        elif op := match["op"]:
            if op == b"q":
                stack.append(ctm)
            elif op == b"Q":
                ctm = stack.pop() if stack else IDENTITY
            elif op == b"BT":
                tm = line = IDENTITY
            else:
                if op != b"Tj" and op != b"TJ":  # T*, ' and " go to the next line first
                    tm = line = _times((1.0, 0.0, 0.0, 1.0, 0.0, -leading), line)
                if op != b"T*":
                    out.append(_times(tm, ctm)[5])
    return out
