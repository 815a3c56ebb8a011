"""Graphviz for every picture: DOT text to SVG, by Graphviz's `dot` or, without it, by graphviz-pure.

An output helper: the exports (`export.py`, `NAME.svg`) and the report
(`html.py`, inline SVG) hand it the DOT text they wrote and get SVG back, or
the reason there is none. The engine is Graphviz's `dot` when it is on PATH;
otherwise graphviz-pure, a port of Graphviz to Rust whose wheel (a
dependency of alignproof) ships the `graphviz-pure` program, with `dot`'s
flags and the same SVG (ids, classes, links and tooltips carried over). A
runner remembers whether it fell back, so its command can say once, on
stderr, that installing Graphviz gives the better layout.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from enum import Enum

DOT_TIMEOUT = 60
"""Seconds one picture's layout may take."""

BUNDLED = "graphviz-pure"
"""The program that the graphviz-pure wheel installs beside Python's scripts."""


class EngineKind(str, Enum):
    GRAPHVIZ = "dot"
    BUNDLED = "graphviz-pure"


@dataclass(frozen=True)
class Engine:
    """A layout program and which one it is."""

    command: str
    kind: EngineKind


def find_engine() -> Engine | None:
    """`dot` on PATH, else the bundled graphviz-pure (on PATH or beside this Python), else None."""
    dot = shutil.which("dot")
    if dot is not None:
        return Engine(dot, EngineKind.GRAPHVIZ)
    bundled = _bundled()
    return Engine(bundled, EngineKind.BUNDLED) if bundled is not None else None


def _bundled() -> str | None:
    """graphviz-pure is found on PATH, or in the scripts folder of this Python (a virtual
    environment that was not activated) or of the user's installs (`pip install --user`)."""
    found = shutil.which(BUNDLED)
    if found is not None:
        return found
    folders = [sysconfig.get_path("scripts"), os.path.dirname(sys.executable)]
    try:
        folders.append(sysconfig.get_path("scripts", f"{os.name}_user"))
    except KeyError:  # a Python built without a user scheme
        pass
    for folder in dict.fromkeys(f for f in folders if f):
        found = shutil.which(BUNDLED, path=folder)
        if found is not None:
            return found
    return None


class Graphviz:
    """The pictures of one command: which engine lays them out, and what to tell the user once."""

    def __init__(self, engine: Engine | None, timeout: float = DOT_TIMEOUT):
        self.engine = engine
        self.timeout = timeout
        self.fell_back = False      # a picture was drawn by graphviz-pure
        self.missed = False         # a picture was wanted and nothing could draw it

    @classmethod
    def find(cls, dot: str | None = None, use_dot: bool = True) -> Graphviz:
        """The runner for a command: `dot` at the given path, or looked up; none when `use_dot` is false."""
        if dot is not None:
            return cls(Engine(dot, EngineKind.GRAPHVIZ))
        return cls(find_engine() if use_dot else None)

    def svg(self, dot_text: str) -> tuple[str | None, str]:
        """`(svg document, "")` laid out from `dot_text`, or `(None, why not)`."""
        if self.engine is None:
            self.missed = True
            return None, "Graphviz (`dot`) was not found"
        name = "Graphviz" if self.engine.kind is EngineKind.GRAPHVIZ else BUNDLED
        try:
            done = subprocess.run([self.engine.command, "-Tsvg"], input=dot_text, capture_output=True,
                                  text=True, encoding="utf-8", timeout=self.timeout)
        except (OSError, subprocess.TimeoutExpired) as error:
            return None, f"{name} failed: {error}"
        if done.returncode != 0 or "<svg" not in done.stdout:
            return None, f"{name} failed: {done.stderr.strip() or 'no SVG produced'}"
        if self.engine.kind is EngineKind.BUNDLED:
            self.fell_back = True
        return done.stdout, ""

    def note(self) -> str | None:
        """What the command should say once on stderr about its pictures, if anything."""
        if self.fell_back:
            return ("Graphviz's `dot` is not on PATH, so the pictures were laid out by graphviz-pure "
                    "(installed with alignproof); installing Graphviz (https://graphviz.org/download/) "
                    "gives the better layout")
        if self.missed:
            return ("no pictures were drawn: neither Graphviz's `dot` nor graphviz-pure was found; "
                    "install Graphviz (https://graphviz.org/download/) or `pip install graphviz-pure`")
        return None


def inline(svg: str) -> str:
    """An SVG document without its XML prologue, doctype and comments before `<svg`, to embed in HTML."""
    start = svg.find("<svg")
    return svg[start:].strip() if start >= 0 else svg.strip()
