"""The data layer: the contract (schemas), reading and validation (loader), DataFrames for analysis (frames).

``analysis.data.frame("contact_actions")`` and ``analysis.data.names()`` are the entry points for
one's own analysis; they are loaded on first use, so code that only needs the schemas (the build
runner's no-op path) does not import pandas.
"""

from __future__ import annotations

from typing import Any

__all__ = ["frame", "names"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from analysis.data import frames

        return getattr(frames, name)
    raise AttributeError(f"module 'analysis.data' has no attribute {name!r}")
