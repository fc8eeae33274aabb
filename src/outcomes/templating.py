"""The Jinja2 environment of the report's chapters, and the HTML fragments the report notebook shows.

The chapter templates live in the nbconvert template folder (``templates/outcomes/chapters/``);
a rapporteur's folders of templates come first. Autoescaping is on and escapes like
:func:`outcomes.markup.escaped`; the ``isolate`` filter wraps input text in ``<bdi>``.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Sequence, Tuple, Union

import jinja2
from markupsafe import Markup

from . import render
from .markup import escaped as _e
from .markup import isolate

Folders = Union[str, os.PathLike, Sequence[Union[str, os.PathLike]], None]


def chapters_dir() -> Path:
    """Return the folder of the shipped chapter templates (in the nbconvert template folder)."""
    return render.template_dir() / "outcomes" / "chapters"


def _html(value) -> Markup:
    """Escape a value as :func:`outcomes.markup.escaped` does, keeping HTML that is already Markup."""
    return value if isinstance(value, Markup) else Markup(_e(value))


@functools.lru_cache(maxsize=8)
def environment(folders: Tuple[str, ...] = ()) -> jinja2.Environment:
    """Return the Jinja2 environment of the chapters: ``folders`` first, then the shipped templates.

    Autoescaping escapes like :func:`outcomes.markup.escaped` (``finalize``): None and NaN
    print as nothing, and a value that is already :class:`~markupsafe.Markup` is kept.
    """
    loaders = [jinja2.FileSystemLoader(folder) for folder in folders]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([*loaders, jinja2.FileSystemLoader(str(chapters_dir()))]),
        autoescape=jinja2.select_autoescape(["html", "j2"], default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, finalize=_html)
    env.filters["isolate"] = lambda value: Markup(isolate(value))
    return env


def _folders(templates: Folders) -> Tuple[str, ...]:
    if templates is None:
        return ()
    if isinstance(templates, (str, os.PathLike)):
        templates = [templates]
    return tuple(str(Path(folder).resolve()) for folder in templates)


class HTMLFragment:
    """A piece of report HTML that Jupyter displays as HTML (and as a short text otherwise)."""

    def __init__(self, html: str, label: str):
        self.html = html
        self.label = label

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<{self.label}>"
