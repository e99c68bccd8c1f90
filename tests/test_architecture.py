"""The layering rules of docs/architecture.md, checked on the source.

    utils, functional, structures   (import no other mmwsss layer)
    datasets, models, evaluation    (the layers above only)
    apis                            (+ datasets, models, evaluation)
    engine                          (+ apis)
    tools/, projects/, demo/        (the installed package; nothing else)
"""
import ast
import os.path as osp
import pathlib

import pytest

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
BOTTOM = {'utils', 'functional', 'structures', 'registry', 'version'}
ALLOWED = {
    'utils': set(), 'functional': set(), 'structures': set(),
    'registry': set(), 'version': set(),
    'datasets': BOTTOM, 'models': BOTTOM, 'evaluation': BOTTOM,
    'apis': BOTTOM | {'datasets', 'models', 'evaluation'},
    'engine': BOTTOM | {'datasets', 'models', 'evaluation', 'apis'},
}


def _modules():
    pkg = pathlib.Path(ROOT, 'mmwsss')
    for p in sorted(pkg.rglob('*.py')):
        rel = p.relative_to(ROOT)
        if rel == pathlib.Path('mmwsss', '__init__.py'):
            continue  # the package root imports every layer to register
        yield p, list(rel.with_suffix('').parts)


def _targets(path, parts):
    """(line, absolute mmwsss module, inside a function) of every import."""
    tree = ast.parse(path.read_text())
    in_func = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            in_func |= {id(n) for n in ast.walk(node)}
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = parts[:-1]
                base = base[:len(base) - (node.level - 1)]
                names = ['.'.join(base + ([node.module] if node.module
                                          else []))]
            else:
                names = [node.module or '']
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            if name.startswith('mmwsss'):
                yield node.lineno, name, id(node) in in_func


def test_layers_import_only_what_they_may():
    bad = []
    for path, parts in _modules():
        layer = parts[1]
        for line, target, _ in _targets(path, parts):
            tparts = target.split('.')
            if len(tparts) < 2 or tparts[1] == layer:
                continue
            if tparts[1] not in ALLOWED[layer]:
                bad.append(f'{path.relative_to(ROOT)}:{line} ({layer}) '
                           f'imports {target}')
    assert not bad, '\n'.join(bad)


def test_own_modules_are_imported_at_the_top_of_files():
    bad = [f'{p.relative_to(ROOT)}:{line} {t}' for p, parts in _modules()
           for line, t, in_func in _targets(p, parts) if in_func]
    assert not bad, '\n'.join(bad)


@pytest.mark.parametrize('folder', ['tools', 'projects', 'demo'])
def test_tools_and_recipes_use_the_installed_package(folder):
    """No ``sys.path`` edits: tools, recipes and demos import the installed
    ``mmwsss`` (recipes run as ``python -m projects.<name>.run``)."""
    bad = [str(p.relative_to(ROOT)) for p in
           pathlib.Path(ROOT, folder).rglob('*.py')
           if 'sys.path' in p.read_text()]
    assert not bad, bad


def test_the_rules_catch_a_violation(tmp_path):
    """The checker itself: a models file importing apis is reported."""
    p = tmp_path / 'x.py'
    p.write_text('from mmwsss.apis import generate_cams\n'
                 'def f():\n    from ..utils import io\n')
    found = list(_targets(p, ['mmwsss', 'models', 'x']))
    assert found[0][1] == 'mmwsss.apis' and not found[0][2]
    assert found[1][1] == 'mmwsss.utils' and found[1][2]  # in a function
    assert 'apis' not in ALLOWED['models']
