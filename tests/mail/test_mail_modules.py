"""The mail app's shape: no circle of imports between its modules, and jobs queued under
the modules' former paths still find their task (goingsolo/mail/moved_jobs.py)."""

import ast
from pathlib import Path

import pytest
from django.utils.module_loading import import_string
from django_tasks.base import Task

from goingsolo.mail import moved_jobs

MAIL = Path(__file__).resolve().parents[2] / "goingsolo" / "mail"


def module_name(path):
    parts = list(path.relative_to(MAIL.parents[1]).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def mail_imports(path, name):
    """The mail modules PATH (module NAME) imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def import_graph():
    modules = {
        module_name(path): path
        for path in MAIL.rglob("*.py")
        if "migrations" not in path.parts and "management" not in path.parts
    }
    return {
        name: {found for found in mail_imports(path, name) if found in modules and found != name}
        for name, path in modules.items()
    }


def cycle_in(graph):
    """A list of modules that import each other in a circle, or None."""
    state = {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*trail[trail.index(target) :], target]
            if target not in state:
                found = visit(target, [*trail, target])
                if found:
                    return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None


def test_mail_has_no_import_cycle():
    graph = import_graph()
    # The graph is read right: routing imports its siblings and the app's shared modules.
    assert {"goingsolo.mail.inbound.posting", "goingsolo.mail.models"} <= graph[
        "goingsolo.mail.inbound.routing"
    ]
    assert cycle_in(graph) is None


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert cycle_in(graph) == ["a", "b", "c", "a"]


@pytest.mark.parametrize("old_path", sorted(moved_jobs.MOVED))
def test_a_job_queued_under_a_former_path_finds_its_task(old_path):
    task = import_string(old_path)
    assert isinstance(task, Task)
    assert task is moved_jobs.MOVED[old_path]
    assert task.name == old_path.rsplit(".", 1)[1]
