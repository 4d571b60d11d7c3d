"""The exception tree drawn in errors.py's docstring is the real one: every OnderwijsloketError subclass is
drawn under its parent, and nothing else is."""

from __future__ import annotations

import importlib
import pkgutil
import re

import onderwijsloket_mcp
from onderwijsloket_mcp import errors
from onderwijsloket_mcp.errors import OnderwijsloketError

# A drawn line: indentation, "├── " / "└── ", the class name.
LINE = re.compile(r"^(?P<indent>[ │]*)(?:├── |└── )(?P<name>[A-Za-z]+)")


def drawn_tree() -> dict[str, str]:
    """Class name -> the name of its parent, as drawn."""
    doc = errors.__doc__ or ""
    drawing = doc[doc.index("::") :].split("\n\n")[1]
    parents: dict[str, str] = {}
    stack: list[str] = [drawing.split()[0]]  # the root, ToolError
    for line in drawing.splitlines()[1:]:
        match = LINE.match(line.strip("\n")[4:]) if line.startswith("    ") else None
        if match is None:
            continue  # a continued description
        depth = len(match["indent"]) // 4
        del stack[depth + 1 :]
        parents[match["name"]] = stack[depth]
        stack.append(match["name"])
    return parents


def real_tree() -> dict[str, str]:
    for module in pkgutil.walk_packages(onderwijsloket_mcp.__path__, "onderwijsloket_mcp."):
        if not module.name.endswith("__main__"):  # that one runs the server
            importlib.import_module(module.name)
    found: dict[str, str] = {"OnderwijsloketError": "ToolError"}
    todo = [OnderwijsloketError]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            found[sub.__name__] = cls.__name__
            todo.append(sub)
    return found


def test_the_drawn_exception_tree_is_the_real_one() -> None:
    assert drawn_tree() == real_tree()
