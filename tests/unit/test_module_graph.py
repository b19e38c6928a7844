"""The plugin's modules import one way (issue 13): no cycle, counting every
import statement wherever it is, and the leaves import no module of ours but
other leaves. Read from the source with ast, so nothing is imported."""

from __future__ import annotations

import ast
from pathlib import Path

import pelican.plugins.conference_papers as package

ROOT = Path(package.__file__).parent
PACKAGE = "pelican.plugins.conference_papers"

#: The layers, bottom first: a module may import its own layer and the layers
#: below, never one above. A layer is a folder (every module in it) or a module.
#: This is the data flow of a build, and the folder listing shows it: files are
#: read against the content format into the model, grouped, written; Pelican's
#: glue runs that; importers, sync and the command line sit on top.
LAYERS = [
    "base",  # leaves: rules, the HTTP client, Pelican internals
    "settings",  # the table of defaults and its checks
    "format",  # the content format: headers to checked fields
    "model",  # Paper, Conference, Member as Pelican content
    "parallel",  # both cores: a pool, a forked writer
    "reading",  # Pelican's readers to raw sources, cached
    "grouping",  # papers to conferences and tracks, cross-file checks
    "writers",  # pages, feeds, citations, timeline, search
    "generator",  # the Pelican generator: load, then write
    "__init__",  # register(): the signals
    "importers",  # old sites to content files
    "sync",  # open data to content files
    "timeline_fetch",  # posts to timeline snapshots
    "commands",  # pelican-papers
]


def layer_of(module: str) -> int:
    return LAYERS.index(module.split(".")[0])


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts) or "__init__"] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of ours that ``name`` imports (``from . import x`` counts x,
    not the package)."""
    if name == "__init__":
        package_parts = []
    elif path.name == "__init__.py":
        package_parts = name.split(".")
    else:
        package_parts = name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - (node.level - 1)]
                target = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.startswith(PACKAGE):
                target = node.module[len(PACKAGE) + 1 :].split(".")
                target = [part for part in target if part]
            else:
                continue
            module = ".".join(target) or "__init__"
            names = [f"{module}.{a.name}".removeprefix("__init__.") for a in node.names]
            submodules = [n for n in names if n in modules]
            found.update(submodules)
            if len(submodules) < len(names) and module in modules:
                found.add(module)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(f"{PACKAGE}."):
                    found.add(alias.name[len(PACKAGE) + 1 :])
    return {m for m in found if m in modules and m != name}


def module_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle, as the list of its modules, or []."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return []

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def test_the_graph_sees_the_imports_of_the_plugin():
    graph = module_graph()
    assert "settings" in graph["generator"]
    assert {"check", "build", "new", "import_", "fetch_timeline"} <= {
        m.removeprefix("commands.") for m in graph["commands.main"]
    }


def test_no_module_imports_itself_back_through_others():
    assert _cycle(module_graph()) == []


def test_the_cycle_check_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_every_module_sits_in_a_layer():
    assert [m for m in module_graph() if m.split(".")[0] not in LAYERS] == []


def upward_imports(graph: dict[str, set[str]]) -> dict[str, list[str]]:
    """Per module, the modules of a higher layer that it imports."""
    found = {
        name: sorted(m for m in imports if layer_of(m) > layer_of(name))
        for name, imports in graph.items()
    }
    return {name: modules for name, modules in found.items() if modules}


def test_no_module_imports_a_layer_above_its_own():
    assert upward_imports(module_graph()) == {}


def test_the_layer_check_sees_an_upward_import():
    graph = {"base.text": {"writers.feeds"}, "writers.feeds": {"base.text"}}
    assert upward_imports(graph) == {"base.text": ["writers.feeds"]}


def test_the_folder_listing_is_the_layers():
    on_disk = {
        path.stem if path.suffix == ".py" else path.name
        for path in ROOT.iterdir()
        if path.suffix == ".py" or (path / "__init__.py").exists()
    }
    assert on_disk == set(LAYERS)


def test_nothing_below_the_command_line_imports_it():
    graph = module_graph()
    up = {
        name: sorted(m for m in imports if m.startswith("commands"))
        for name, imports in graph.items()
        if not name.startswith("commands")
    }
    assert {name: found for name, found in up.items() if found} == {}
