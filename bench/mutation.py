"""Mutation testing, small: change one operator or constant of a module, run its tests.

    .venv/bin/python bench/mutation.py lessons/quiz.py tests/unit/test_quiz.py
    .venv/bin/python bench/mutation.py lessons/lab/activations.py tests/unit/test_activations.py

A mutant is killed when the tests fail (or hang past the timeout) with it in place; a
surviving mutant is either a gap in the tests or equivalent to the original (no input
can tell them apart), which only a reader can decide, so every survivor is printed
with its line. The source file is never edited: each test run is a fresh process
whose import system serves the mutated code under the module's own name and path.
Tests that start other processes see the original module there.

Mutants: + - * / // % ** swapped for their partner, comparisons made strict or loose
(< <=, > >=, == !=, is, in), and/or swapped, `not` and unary minus dropped, True and
False swapped, and every number n made n + 1. Docstrings and other strings are left
alone, as are constants inside f-strings (error messages).

Figures (2026-12-01, quick Hypothesis profile, one module at a time on 2 shared cores;
where survivors led to new tests, their lines were rerun with --only-line):
  lessons/quiz.py  (test_quiz.py test_scoring_rule.py)  17/17 killed (100%).
  lessons/lab/activations.py  (test_activations.py)  132/141 killed (the full run 126;
      its 6 survivors about grad_floor killed on a rerun with the new floor tests). The
      9 survivors are equivalent: the erfc table's node spacing, length and Taylor terms
      made finer or longer (lines 22, 23, 25, 27, 51: still exact to the tests'
      2.5e-16), `x < 0` -> `x <= 0` in normal_cdf and `x > 0` -> `x >= 0` in
      LeakyReLU.fn (both sides agree at 0), reshape(-1) -> reshape(-2) (numpy reads any
      negative size as "the rest"), and ELU's np.minimum(x, 0.0) -> 1.0 (only the
      x <= 0 side is used).
  lessons/lab/mlp.py  (test_mlp_gradients.py test_mlp_edge_cases.py test_layernorm.py
      test_backward_stages.py test_boundary.py)  157/163 killed (the full run, without
      test_mlp_edge_cases.py, 151; its 12 survivors' lines rerun with it: 6 more). The 6
      survivors are equivalent: three placeholders that are always overwritten before
      use made np.empty(1) instead of np.empty(0) (_Forward.logits, the param_grads and
      signal_grads lists), zip(..., strict=True) -> False over two slices of one list
      (always the same length), the output layer's parameter slice made 3 long (it is
      the last layer: the slice stops at the list's end anyway), and `layer > 1` ->
      `>= 1` in the backward loop (it also computes dL/dX, which nothing reads).
  lessons/lab/profile.py  (test_profile.py test_unit_health.py)  59/59 killed (100%).
"""

from __future__ import annotations

import argparse
import ast
import importlib.abc
import importlib.machinery
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent

_BINOP_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.FloorDiv,
    ast.Pow: ast.Mult,
}
_COMPARE_SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_SYMBOL = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.And: "and",
    ast.Or: "or",
}


@dataclass(frozen=True)
class Mutant:
    """One change to the module: the n-th mutable site in AST walk order."""

    site: int
    line: int
    col: int
    change: str


def _docstring_ids(tree: ast.Module) -> set[int]:
    """ids of the string constants that are docstrings (of the module, classes, functions)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _f_string_ids(tree: ast.Module) -> set[int]:
    return {id(n) for f in ast.walk(tree) if isinstance(f, ast.JoinedStr) for n in ast.walk(f)}


def _sites(tree: ast.Module) -> Iterator[tuple[ast.AST, str]]:
    """Every mutable node, with a description of its mutation, in a stable order."""
    skip = _docstring_ids(tree) | _f_string_ids(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in _BINOP_SWAPS:
            old = type(node.op)
            yield node, f"{_SYMBOL[old]} -> {_SYMBOL[_BINOP_SWAPS[old]]}"
        elif isinstance(node, ast.Compare):
            for index, op in enumerate(node.ops):
                if type(op) in _COMPARE_SWAPS:
                    new = _COMPARE_SWAPS[type(op)]
                    yield node, f"#{index} {_SYMBOL[type(op)]} -> {_SYMBOL[new]}"
        elif isinstance(node, ast.BoolOp):
            swapped = "or" if isinstance(node.op, ast.And) else "and"
            yield node, f"{_SYMBOL[type(node.op)]} -> {swapped}"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
            yield node, "drop `not`" if isinstance(node.op, ast.Not) else "drop unary -"
        elif isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool):
                yield node, f"{value} -> {not value}"
            elif isinstance(value, (int, float)):
                yield node, f"{value!r} -> {value + 1!r}"


def _apply(node: ast.AST, change: str) -> ast.AST:
    """The replacement for `node` that `change` (from _sites) describes."""
    if isinstance(node, (ast.BinOp, ast.AugAssign)):
        node.op = _BINOP_SWAPS[type(node.op)]()
    elif isinstance(node, ast.Compare):
        index = int(change[1 : change.index(" ")])
        node.ops[index] = _COMPARE_SWAPS[type(node.ops[index])]()
    elif isinstance(node, ast.BoolOp):
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif isinstance(node, ast.UnaryOp):
        return node.operand
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            node.value = not value
        elif isinstance(value, (int, float)):
            node.value = value + 1
    return node


def mutants(source: str) -> list[Mutant]:
    tree = ast.parse(source)
    return [
        Mutant(i, getattr(node, "lineno", 0), getattr(node, "col_offset", 0), change)
        for i, (node, change) in enumerate(_sites(tree))
    ]


def mutated_source(source: str, site: int) -> str:
    """The module's source with mutation number `site` applied."""
    tree = ast.parse(source)
    targets = list(_sites(tree))
    node, change = targets[site]

    class Replace(ast.NodeTransformer):
        def generic_visit(self, current: ast.AST) -> ast.AST:
            if current is node:
                return _apply(current, change)
            return super().generic_visit(current)

    new = Replace().visit(tree)
    return ast.unparse(ast.fix_missing_locations(new))


# -- the child process: serve the mutated module, run pytest -----------------------------


class _MutantFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves `name` from `code` (compiled with the real path, so tracebacks point there)."""

    def __init__(self, name: str, path: str, code: str) -> None:
        self.name, self.path, self.code = name, path, code

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.name:
            return None
        return importlib.util.spec_from_loader(fullname, self, origin=self.path)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        module.__file__ = self.path
        exec(compile(self.code, self.path, "exec"), module.__dict__)


def _child(mutant_file: str, module: str, path: str, pytest_args: list[str]) -> int:
    import pytest

    sys.meta_path.insert(0, _MutantFinder(module, path, Path(mutant_file).read_text()))
    return int(pytest.main(pytest_args))


# -- the driver --------------------------------------------------------------------------


def _module_name(path: Path) -> str:
    return ".".join(path.resolve().relative_to(ROOT).with_suffix("").parts)


def _run(
    mutant_file: Path | None, module: str, path: Path, tests: list[str], timeout: float
) -> tuple[int | None, float]:
    """(exit code or None on timeout, seconds) of one test run, the mutant served if given."""
    args = ["-x", "-q", "-p", "no:cacheprovider", "--no-header", *tests]
    if mutant_file is None:
        command = [sys.executable, "-m", "pytest", *args]
    else:
        command = [sys.executable, __file__, "--child", str(mutant_file), module, str(path)]
        command += ["--", *args]
    env = {**os.environ, "HYPOTHESIS_PROFILE": os.environ.get("HYPOTHESIS_PROFILE", "quick")}
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return None, time.perf_counter() - started
    return done.returncode, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        mutant_file, module, path, _, *pytest_args = argv[1:]
        return _child(mutant_file, module, path, pytest_args)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("module", type=Path, help="the .py file to mutate, inside the repo")
    parser.add_argument("tests", nargs="+", help="test files or node ids that should kill")
    parser.add_argument("--only-line", type=int, action="append", help="mutate only this line")
    args = parser.parse_args(argv)
    path = args.module.resolve()
    module = _module_name(path)
    source = path.read_text()
    everything = mutants(source)
    chosen = [m for m in everything if not args.only_line or m.line in args.only_line]

    code, baseline = _run(None, module, path, args.tests, timeout=600)
    if code != 0:
        print(f"the tests fail (exit {code}) on the original {path.name}; fix them first")
        return 1
    timeout = 5 * baseline + 10
    print(f"{module}: {len(chosen)} mutants; tests take {baseline:.1f} s unmutated")
    survived: list[Mutant] = []
    timeouts = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        mutant_file = Path(scratch) / path.name
        for mutant in chosen:
            mutant_file.write_text(mutated_source(source, mutant.site))
            code, _ = _run(mutant_file, module, path, args.tests, timeout)
            if code is None:
                timeouts += 1
            elif code == 0:
                survived.append(mutant)
                line = source.splitlines()[mutant.line - 1].strip()
                print(f"  survived  line {mutant.line}:{mutant.col}  {mutant.change:<16} {line}")
            elif code not in (1, 2):  # 1: tests failed; 2: collection broke (killed too)
                print(f"  pytest exit {code} for line {mutant.line}: {mutant.change}")
    killed = len(chosen) - len(survived)
    rate = 100.0 * killed / len(chosen) if chosen else 100.0
    print(
        f"{module}: {killed}/{len(chosen)} killed ({rate:.1f}%), {timeouts} of them by "
        f"timeout, {len(survived)} survived; {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
