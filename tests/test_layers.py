"""Imports run one way (models, kinds, services, routes): read from the source, not by importing it.

Every import counts, those inside functions too: an import moved into a function to break a cycle
still ties the two modules together, so it is a cycle all the same.
"""

import ast
from pathlib import Path

PWA = Path(__file__).resolve().parent.parent / "pwa"
#: Each routes module is imported here, and only here, so views never become anyone's dependency.
ROUTES_INDEX = "pwa.routes"
#: The layers, in the order imports may run: a module imports from its own layer or lower ones.
LAYERS = ("models", "kinds", "services", "routes", "app")
#: Modules whose layer their name does not tell.
LAYER_OF = {
    "pwa": "app",  # create_app
    "pwa.__main__": "app",
    "pwa.cli": "app",
    "pwa.db": "models",
    "pwa.fields": "models",
    "pwa.errors": "models",
    "pwa.config": "models",
    "pwa.ratelimit": "models",  # its table and the counting on it, needing only the database
    "pwa.records": "kinds",  # RecordType and the registry every kinds.py registers with
    "pwa.contacts.photos": "kinds",  # the photo files, which hang on a contact (records.hang_on)
    "pwa.contacts.search": "models",
    "pwa.followups.plans": "kinds",  # what a contact's changes plan (wired in pwa.kinds)  # the search index beside the contacts table, and its query
    "pwa.api": "routes",  # the API blueprint and what its views share
    "pwa.web": "routes",  # the pages' blueprint
    "pwa.record_routes": "routes",
    "pwa.paging": "routes",  # how every list view pages its answer (reading ?cursor=)
    ROUTES_INDEX: "routes",
}
#: Blueprint methods that add a view.
VIEW_DECORATORS = {"get", "post", "put", "patch", "delete", "route"}


def module_name(path):
    parts = path.relative_to(PWA.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PWA.rglob("*.py")}


def imported_by(name):
    """The pwa modules that module name imports, anywhere in its body."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in MODULES else base)
    return {target for target in found if target in MODULES and target != name}


def _absolute(node, package):
    if not node.level:
        return node.module
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


GRAPH = {name: imported_by(name) for name in MODULES}


def cycles(graph):
    """Every strongly connected group of more than one module (Tarjan), each as a sorted list."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def adds_views(name):
    """Whether a module adds views when imported (a decorated view, or the record route factory
    called at module level): a routes module."""
    tree = ast.parse(MODULES[name].read_text())
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef):
            for decorator in statement.decorator_list:
                call = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(call, ast.Attribute) and call.attr in VIEW_DECORATORS:
                    return True
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            func = statement.value.func
            if isinstance(func, ast.Name) and func.id == "add_routes":
                return True
    return False


def layer(name):
    """Where a module sits: by the table above, else by its name, else by whether it adds views."""
    last = name.rpartition(".")[2]
    if name in LAYER_OF:
        return LAYER_OF[name]
    if last in ("models", "kinds"):
        return last
    return "routes" if adds_views(name) else "services"


def test_the_graph_is_read():
    assert "pwa.records" in GRAPH["pwa.sync.service"]
    assert "pwa.contacts.kinds" in GRAPH["pwa.kinds"]
    assert adds_views("pwa.contacts.routes") and not adds_views("pwa.contacts.kinds")
    assert [layer(name) for name in ("pwa.contacts.models", "pwa.kinds", "pwa.sync.service")] == [
        "models",
        "kinds",
        "services",
    ]


def test_the_pwa_package_has_no_import_cycle():
    assert cycles(GRAPH) == []


def test_cycles_are_found_inside_functions_too():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_only_the_routes_index_imports_a_routes_module():
    routes = {name for name in MODULES if adds_views(name)}
    importers = {
        (name, target)
        for name, targets in GRAPH.items()
        for target in targets & routes
        if name != ROUTES_INDEX
    }
    assert importers == set()


def test_imports_run_one_way():
    """models <- kinds <- services <- routes <- app: nothing imports from a layer above its own."""
    upward = {
        (name, layer(name), target, layer(target))
        for name, targets in GRAPH.items()
        for target in targets
        if LAYERS.index(layer(target)) > LAYERS.index(layer(name))
    }
    assert upward == set()
