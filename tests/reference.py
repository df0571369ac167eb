"""Independent references and shared helpers of the test suite.

- the model corpus: pyboolnet's repository (names, paths, sizes, whether a model fits the exhaustive cap);
- brute force: the explicit state-transition graph of explicit truth tables, and its terminal SCCs (networkx);
- pyboolnet: prime implicants, steady states, trap spaces, the explicit synchronous graph;
- biodivine AEON: exact asynchronous attractors;
- hypothesis strategies for random small networks, written as DNF text our parser must get right.

Nothing here uses logicmodel's engine to compute an expected answer.
"""
from __future__ import annotations

import fcntl
import functools
import hashlib
import itertools
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import networkx as nx
from hypothesis import strategies as st

import logicmodel as lm
from logicmodel.compat import quiet_import

ROOT = Path(__file__).resolve().parent.parent
OSTEO = ROOT / "networks" / "osteoclastogenesis.bnet"
#: Models with more nodes than this are slow in some tests (marked ``slow`` by the corpus fixtures).
QUICK_NODES = 20
#: Largest model whose explicit state-transition graph the pyboolnet reference builds.
STG_MAX_NODES = 15
#: A 6-state attractor that lies in no minimal trap space (the only one is the fixed point 100).
MOTIF_AVOIDANT = """
x0, (!x0 & x1 & !x2) | (!x0 & x1 & x2) | (x0 & !x1 & !x2)
x1, (!x0 & !x1 & !x2) | (!x0 & !x1 & x2) | (!x0 & x1 & !x2) | (!x0 & x1 & x2) | (x0 & x1 & !x2)
x2, (!x0 & !x1 & x2) | (!x0 & x1 & !x2) | (x0 & !x1 & x2) | (x0 & x1 & !x2)
"""


# --------------------------------------------------------------------------- the corpus
def _repository_dir() -> Path:
    rep = quiet_import("pyboolnet.repository")
    return Path(os.path.dirname(rep.__file__))


@functools.lru_cache(maxsize=None)
def generated_corpus() -> Any:
    """benchmarks/generated.py (the attractor benchmark's generated corpus), imported from its file."""
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "generated.py"
    spec = importlib.util.spec_from_file_location("generated_corpus", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.lru_cache(maxsize=None)
def corpus_names() -> tuple[str, ...]:
    """Every model of pyboolnet's repository."""
    rep = quiet_import("pyboolnet.repository")
    return tuple(sorted(rep.get_all_names()))


def corpus_path(name: str) -> Path:
    return _repository_dir() / name / f"{name}.bnet"


@functools.lru_cache(maxsize=None)
def corpus_nodes(name: str) -> int:
    """Number of nodes."""
    return len(lm.read_bnet(corpus_path(name)))


@functools.lru_cache(maxsize=None)
def fits_exhaustive(name: str) -> bool:
    """Whether every subspace of the model (after percolation and the input split) fits the default cap."""
    from logicmodel.engine.kernels import compiled
    from logicmodel.search.choose import Limits, plan

    net = lm.read_bnet(corpus_path(name))
    limits = Limits()
    try:
        parts = plan(net, compiled(net).percolate(), "asynchronous", "exhaustive", limits)
    except lm.LogicModelError:
        return False
    return all(limits.fits(p.n) for p in parts)


@functools.lru_cache(maxsize=None)
def needs_symbolic(name: str) -> bool:
    """Whether the default chooser sends some subspace of the model straight to the symbolic method."""
    from logicmodel.engine.kernels import compiled
    from logicmodel.search.choose import Limits, choose, plan

    net = lm.read_bnet(corpus_path(name))
    limits = Limits()
    try:
        parts = plan(net, compiled(net).percolate(), "asynchronous", "auto", limits)
    except lm.LogicModelError:
        return False
    return any(choose(p, "asynchronous", "auto", limits) == ("symbolic",) for p in parts)


# --------------------------------------------------------------------------- brute force
Tables = list[tuple[tuple[int, ...], dict[tuple[int, ...], int]]]


def explicit_stg(tables: Tables, update: str) -> nx.DiGraph:
    """State-transition graph from explicit truth tables (independent of logicmodel's engine).

    ``tables[i] = (regulator indices, {regulator values: output})``; states are tuples of 0/1.
    """
    n = len(tables)
    g = nx.DiGraph()
    for state in itertools.product((0, 1), repeat=n):
        g.add_node(state)
        nxt = [tables[i][1][tuple(state[r] for r in tables[i][0])] for i in range(n)]
        if update == "synchronous":
            g.add_edge(state, tuple(nxt))
        else:
            for i in range(n):
                if nxt[i] != state[i]:
                    succ = list(state)
                    succ[i] = nxt[i]
                    g.add_edge(state, tuple(succ))
    return g


def reference_attractors(g: nx.DiGraph) -> list[frozenset[Any]]:
    """Terminal strongly connected components (networkx), sorted."""
    return sorted((frozenset(c) for c in nx.attracting_components(g)), key=lambda c: (len(c), min(c)))


def state_sets(res: Any) -> list[frozenset[tuple[int, ...]]]:
    """Our attractors as sets of state tuples (node order), sorted like :func:`reference_attractors`."""
    return sorted((frozenset(tuple(int(x) for x in row) for row in a.states()) for a in res),
                  key=lambda c: (len(c), min(c)))


def to_bnet(names: list[str], tables: Tables) -> str:
    """Write explicit truth tables as a DNF of minterms (the text our parser must get right)."""
    lines = []
    for name, (regs, table) in zip(names, tables):
        terms = []
        for vals, out in table.items():
            if out:
                lits = [names[r] if v else f"!{names[r]}" for r, v in zip(regs, vals)]
                terms.append(" & ".join(lits) if lits else "1")
        lines.append(f"{name}, {' | '.join(f'({t})' for t in terms) if terms else '0'}")
    return "\n".join(lines) + "\n"


def fixed_tables(tables: Tables, names: list[str], fixed: dict[str, int]) -> Tables:
    """The tables with the nodes of ``fixed`` made constant."""
    out = list(tables)
    for node, v in fixed.items():
        out[names.index(node)] = ((), {(): v})
    return out


@st.composite
def random_networks(draw: Any, max_nodes: int = 7) -> tuple[list[str], Tables, dict[str, int]]:
    """Random networks of up to ``max_nodes`` nodes (at most 3 regulators each) and up to 2 fixed nodes."""
    n = draw(st.integers(1, max_nodes))
    names = [f"x{i}" for i in range(n)]
    tables = []
    for _ in range(n):
        k = draw(st.integers(0, min(3, n)))
        regs = tuple(sorted(draw(st.lists(st.integers(0, n - 1), min_size=k, max_size=k, unique=True))))
        outs = draw(st.lists(st.integers(0, 1), min_size=1 << len(regs), max_size=1 << len(regs)))
        table = {vals: outs[j] for j, vals in enumerate(itertools.product((0, 1), repeat=len(regs)))}
        tables.append((regs, table))
    fixed_nodes = draw(st.lists(st.integers(0, n - 1), max_size=2, unique=True))
    fixed = {names[i]: draw(st.integers(0, 1)) for i in fixed_nodes}
    return names, tables, fixed


@st.composite
def networks_with_inputs(draw: Any) -> tuple[str, list[str]]:
    """Random networks with 1-3 inputs (``Ik, Ik``) feeding random nodes."""
    names, tables, _ = draw(random_networks(max_nodes=6))
    k = draw(st.integers(1, 3))
    text = to_bnet(names, tables)
    inputs = [f"I{j}" for j in range(k)]
    lines = [f"{i}, {i}" for i in inputs]
    for line in text.splitlines():
        node, rule = line.split(", ", 1)
        extra = draw(st.lists(st.sampled_from(inputs), max_size=2, unique=True))
        for i in extra:  # an input gates or forces the node
            rule = f"({rule}) & {i}" if draw(st.booleans()) else f"({rule}) | {i}"
        lines.append(f"{node}, {rule}")
    return "\n".join(lines) + "\n", inputs



@functools.lru_cache(maxsize=8)
def corpus_attractors(name: str) -> Any:
    """Our asynchronous attractors (default options) of a corpus model, computed once per process: the
    comparisons with AEON and the trap-space invariants all check the same answer (the corpus tests of a
    large model share a pytest-xdist group, so one worker computes it)."""
    return lm.attractors(lm.read_bnet(corpus_path(name)), "asynchronous")


# --------------------------------------------------------------------------- pyboolnet
def pyboolnet_primes(source: str | Path) -> dict[str, Any]:
    """Prime implicants by pyboolnet's BNetToPrime, from a file path or bnet text (a fresh copy of a
    cached answer: BNetToPrime takes 25 s on n12c5)."""
    import copy

    return copy.deepcopy(_primes(str(source)))


@functools.lru_cache(maxsize=64)
def _primes(source: str) -> dict[str, Any]:
    """pyboolnet's primes of ``source``; under pytest-xdist the workers of one run share them through
    files (one computes, the others wait on its lock and read), so BNetToPrime runs once per model."""
    fe = quiet_import("pyboolnet.file_exchange")
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if run is None:
        primes: dict[str, Any] = fe.bnet2primes(source)
        return primes
    text = Path(source).read_text() if os.path.isfile(source) else source
    folder = Path(tempfile.gettempdir()) / f"logicmodel-tests-{run}"
    folder.mkdir(exist_ok=True)
    path = folder / (hashlib.sha256(text.encode()).hexdigest() + ".json")
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(fe.bnet2primes(source)))
            tmp.replace(path)
        primes = json.loads(path.read_text())
    return primes


def pyboolnet_steady_states(primes: dict[str, Any]) -> set[tuple[tuple[str, int], ...]]:
    ts = quiet_import("pyboolnet.trap_spaces")
    return {tuple(sorted(s.items())) for s in ts.compute_steady_states(primes)}


def pyboolnet_trap_spaces(primes: dict[str, Any], kind: str = "min") -> list[dict[str, int]]:
    ts = quiet_import("pyboolnet.trap_spaces")
    spaces: list[dict[str, int]] = ts.compute_trap_spaces(primes, kind)
    return spaces


def pyboolnet_synchronous_attractors(primes: dict[str, Any]) -> list[frozenset[tuple[tuple[str, int], ...]]]:
    """The cycles of pyboolnet's explicit synchronous state-transition graph (``primes2stg``), as sets of
    states (each a sorted tuple of (node, value))."""
    stg = quiet_import("pyboolnet.state_transition_graphs")
    g = stg.primes2stg(primes, "synchronous")
    names = sorted(primes)  # pyboolnet's state strings follow the sorted node names
    out = []
    for comp in nx.attracting_components(g):
        out.append(frozenset(tuple(zip(names, map(int, s))) for s in comp))
    return sorted(out, key=lambda c: (len(c), min(c)))


# --------------------------------------------------------------------------- biodivine AEON
def aeon_match(path: str | Path, res: Any) -> None:
    """Our attractors ``res`` of the model file ``path`` equal AEON's exact asynchronous attractors:
    the same number and sizes; one state of each of theirs lies in exactly one of ours, of its size, and
    the representative of each of ours lies in the one of theirs it was matched to.

    AEON runs in a thread with a large stack (its parser recurses once per level of a rule), on the
    regulatory graph inferred from the update functions (a regulator a rule names but does not depend
    on is dropped, as AEON's consistency check asks). One state of each of their attractors is looked
    up in an index of our states (an attractor is determined by any of its states), so the check is
    linear in the number of attractors."""
    import numpy as np
    import pytest

    ba = pytest.importorskip("biodivine_aeon")

    def check() -> None:
        bn = ba.BooleanNetwork.from_file(str(path)).infer_valid_graph()
        graph = ba.AsynchronousGraph(bn)
        theirs = ba.Attractors.attractors(graph)
        assert len(res) == len(theirs)
        assert sorted(a.size for a in res) == sorted(int(t.cardinality()) for t in theirs)
        index: dict[bytes, int] = {}
        large = []
        for k, a in enumerate(res):
            if a.size <= 4096:
                for row in a.states():
                    index[np.asarray(row, dtype=np.uint8).tobytes()] = k
            else:
                large.append(k)
        match: dict[int, Any] = {}
        for t in theirs:
            state = next(iter(t.vertices())).to_named_dict()
            row = np.array([int(state[n]) for n in res.nodes], dtype=np.uint8)
            k = index.get(row.tobytes())
            if k is None:
                ks = [j for j in large if res[j].contains(dict(zip(res.nodes, row.tolist())))]
                assert len(ks) == 1
                k = ks[0]
            assert res[k].size == int(t.cardinality())
            assert k not in match
            match[k] = t
        assert len(match) == len(theirs)
        for k, t in match.items():
            rep = graph.mk_subspace_vertices({n: bool(v) for n, v in res[k].representative.items()})
            assert not t.vertices().intersect(rep).is_empty()

    in_big_stack(check)


def in_big_stack(work: Any, stack: int = 1 << 30) -> Any:
    """``work()`` in a thread with a ``stack``-byte stack; what it raises is raised here."""
    import threading

    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as err:
            outcome["error"] = err

    old = threading.stack_size(stack)
    try:
        thread = threading.Thread(target=run)
        thread.start()
    finally:
        threading.stack_size(old)
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")