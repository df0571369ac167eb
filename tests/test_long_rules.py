"""Rules of any length and nesting depth: parsed, compiled, printed and exported without recursion.

References are independent of the parser: each generated rule comes with the Boolean function it
stands for, computed here by a plain loop over the generating terms (for a deep rule, a right fold
over its levels), and attractors are compared with biodivine AEON. Prime implicants of rules past
the truth-table limit (a BDD cofactor recursion) are compared with the truth-table recursion where
both apply, and checked to be implicants and prime by brute force.
"""
from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from logicmodel import from_bnet
from logicmodel.errors import FormatError, TooLargeToListError
from logicmodel.io.primes import from_primes, to_primes
from logicmodel.io.sbml import MAX_XML_DEPTH, from_sbml_qual, sbml_errors, to_sbml_qual
from logicmodel.model import functions, implicants
from logicmodel.model.network import MAX_TRUTH_TABLE_REGULATORS, Network
from logicmodel.model.rules import And, Not, Or, depth, parse_rule

from reference import aeon_match

#: A rule's function, evaluated on arrays of assignments (one boolean array per node).
Reference = Callable[[dict[str, np.ndarray]], np.ndarray]


# --------------------------------------------------------------------------- generated networks
def threshold_network(k: int = 101) -> tuple[str, Reference]:
    """``Z`` is on when at least two of ``x0 .. x{k-1}`` are: one term per pair (5,050 terms for k = 101).
    Six of the ``x`` are inputs, the others follow them (and ``Z``), so the network has a few attractors."""
    rng = random.Random(5)
    xs = [f"x{i}" for i in range(k)]
    lines = [f"x{i}, x{i}" for i in range(6)]
    for i in range(6, k):
        a, b = rng.sample(range(6), 2)
        lines.append(f"x{i}, x{a} & !x{b} | Z & x{(a + 1) % 6}")
    lines.append("Z, " + " | ".join(f"{a} & {b}" for a, b in itertools.combinations(xs, 2)))
    return "\n".join(lines) + "\n", lambda env: sum(env[x].astype(int) for x in xs) >= 2


def random_function_network(k: int = 13, seed: int = 3) -> tuple[str, Reference]:
    """``Z`` is a random function of ``k`` inputs, written as the disjunction of its prime implicants
    (6,249 terms for k = 13): the shape of rules exported from prime implicants."""
    rng = random.Random(seed)
    table = np.array([rng.random() < 0.5 for _ in range(1 << k)])
    regs = [f"v{i}" for i in range(k)]
    _, ones = implicants.prime_implicants(table, regs)
    rule = " | ".join(" & ".join(("" if v else "!") + r for r, v in p.items()) for p in ones)
    lines = [f"{r}, {r}" for r in regs[:3]] + [f"v{i}, v{i - 3} & !Z | v{i - 1}" for i in range(3, k)]

    def reference(env: dict[str, np.ndarray]) -> np.ndarray:
        result: np.ndarray = table[sum(env[r].astype(np.int64) << j for j, r in enumerate(regs))]
        return result

    return "\n".join(lines) + f"\nZ, {rule}\n", reference


def deep_network(levels: int = 10_000, width: int = 16) -> tuple[str, Reference]:
    """``Z, A0 | (A1 & (A2 | (... (A0) ...)))``: operators alternating ``|`` and ``&`` nested ``levels`` deep
    over ``width`` nodes, four of them inputs."""
    names = [f"A{i}" for i in range(width)]
    ops = ["&" if i % 2 else "|" for i in range(levels)]
    rule = "".join(f"{names[i % width]} {ops[i]} (" for i in range(levels)) + names[0] + ")" * levels
    lines = [f"{n}, {n}" for n in names[:4]]
    lines += [f"A{i}, A{(i * 3) % width} & !A{(i * 7 + 1) % width} | A{(i + 5) % width}" for i in range(4, width)]

    def reference(env: dict[str, np.ndarray]) -> np.ndarray:
        value = env[names[0]]
        for i in reversed(range(levels)):
            value = (env[names[i % width]] & value) if ops[i] == "&" else (env[names[i % width]] | value)
        return value

    return "\n".join(lines) + f"\nZ, {rule}\n", reference


def negation_chain_network(levels: int = 10_000) -> tuple[str, Reference]:
    """``Z, !(!(...(A)...))`` nested ``levels`` deep, and a parenthesis nest as deep."""
    text = "A, A\nB, " + "(" * levels + "A" + ")" * levels + "\nZ, " + "!(" * levels + "B" + ")" * levels + "\n"
    return text, lambda env: env["B"] if levels % 2 == 0 else ~env["B"]


NETWORKS = {
    "threshold_5050_terms": threshold_network,
    "random_function_6249_terms": random_function_network,
    "alternating_10000_deep": deep_network,
    "negations_10000_deep": negation_chain_network,
}


@pytest.fixture(scope="module", params=sorted(NETWORKS))
def generated(request: pytest.FixtureRequest) -> tuple[str, Network, Reference]:
    text, reference = NETWORKS[request.param]()
    return request.param, from_bnet(text), reference


def agrees(network: Network, reference: Reference, regs: tuple[str, ...], samples: int = 2_000) -> None:
    """``Z``'s rule in ``network`` is the function ``reference`` of ``regs``: on every assignment when there
    are at most 16 regulators, else on ``samples`` random ones."""
    if len(regs) <= 16:
        rows = ((np.arange(1 << len(regs))[:, None] >> np.arange(len(regs))) & 1).astype(bool)
    else:
        rows = np.random.default_rng(0).random((samples, len(regs))) < 0.5
    env = {r: rows[:, j] for j, r in enumerate(regs)}
    got = np.broadcast_to(network.rule("Z").evaluate(env), (len(rows),))
    assert np.array_equal(got, reference(env))


# --------------------------------------------------------------------------- the tests
def test_generated_rules_are_as_long_and_deep_as_promised(generated: tuple[str, Network, Reference]) -> None:
    name, network, _ = generated
    rule = network.rule("Z")
    if name.startswith(("threshold", "random")):
        assert isinstance(rule, Or) and len(rule.args) >= 5_000
        assert all(isinstance(t, And) for t in rule.args)
    else:
        assert depth(rule) >= 10_000


def test_parsed_rule_is_the_generated_function(generated: tuple[str, Network, Reference]) -> None:
    _, network, reference = generated
    agrees(network, reference, network.regulators("Z"))


def test_bnet_round_trip(generated: tuple[str, Network, Reference]) -> None:
    _, network, reference = generated
    text = network.to_bnet()
    back = from_bnet(text)
    assert back == network
    assert back.rule("Z") == network.rule("Z")  # the same tree, not only the same function
    agrees(back, reference, network.regulators("Z"))


def test_sbml_round_trip(generated: tuple[str, Network, Reference]) -> None:
    _, network, reference = generated
    text = to_sbml_qual(network)
    assert sbml_errors(text) == []
    back = from_sbml_qual(text)
    assert back == network
    agrees(back, reference, network.regulators("Z"))


def test_primes_round_trip(generated: tuple[str, Network, Reference]) -> None:
    _, network, reference = generated
    primes = json.loads(json.dumps(to_primes(network)))
    back = from_primes(json.dumps(primes))
    assert back == network
    agrees(back, reference, network.regulators("Z"))
    zeros, ones = primes["Z"]
    regs = network.regulators("Z")
    rng = random.Random(1)
    # brute force: each prime forces its value (on random completions), and with at most 16 regulators,
    # exhaustively, dropping any one literal no longer does (for the threshold rule, see the next test)
    for value, group in ((0, zeros), (1, ones)):
        for prime in rng.sample(group, min(len(group), 30)):
            assert _forces(prime, value, regs, reference)
            if len(regs) <= 16:
                for drop in prime:
                    assert not _forces({r: v for r, v in prime.items() if r != drop}, value, regs, reference)


def _forces(cube: dict[str, int], value: int, regs: tuple[str, ...], reference: Reference) -> bool:
    """Whether the completions of ``cube`` over ``regs`` all have ``reference`` equal to ``value``: every
    completion when at most 16 regulators are free, else 2,000 random ones."""
    free = [r for r in regs if r not in cube]
    if len(free) <= 16:
        rows = ((np.arange(1 << len(free))[:, None] >> np.arange(len(free))) & 1).astype(bool)
    else:
        rows = np.random.default_rng(1).random((2_000, len(free))) < 0.5
    env = {r: np.full(len(rows), v == 1) for r, v in cube.items()}
    env.update({r: rows[:, j] for j, r in enumerate(free)})
    return bool(np.all(reference(env) == bool(value)))


def test_threshold_primes_are_the_pairs_and_the_all_but_one() -> None:
    """For 'at least two of k', the prime implicants are the k(k-1)/2 pairs; of the negation, the k
    assignments with all but one regulator off."""
    text, _ = threshold_network()
    network = from_bnet(text)
    regs = network.regulators("Z")
    assert len(regs) == 101 > MAX_TRUTH_TABLE_REGULATORS
    zeros, ones = network.prime_implicants("Z")
    assert sorted(tuple(sorted(p)) for p in ones) == sorted(itertools.combinations(sorted(regs), 2))
    assert all(set(p.values()) == {1} for p in ones)
    assert sorted(tuple(sorted(set(regs) - set(p))) for p in zeros) == sorted((r,) for r in regs)
    assert all(set(p.values()) == {0} for p in zeros)
    assert {e.sign for e in network.edges() if e.target == "Z"} == {"+"}


@pytest.mark.parametrize("seed", range(40))
def test_bdd_functions_equal_truth_table_functions(seed: int) -> None:
    """Signs, prime implicants and equivalence on BDDs equal those from truth tables, on random rules."""
    rng = random.Random(seed)
    k = rng.randint(1, 8)
    names = [f"v{i}" for i in range(k)]

    def random_rule() -> str:
        terms = []
        for _ in range(rng.randint(1, 6)):
            lits = rng.sample(names, rng.randint(1, k))
            terms.append("(" + " & ".join(("!" if rng.random() < 0.5 else "") + v for v in lits) + ")")
        return ("!" if rng.random() < 0.3 else "") + "(" + " | ".join(terms) + ")"

    a, b = random_rule(), random_rule()
    net = from_bnet("\n".join(f"{n}, {n}" for n in names) + f"\nz, {a}\ny, {b}\n")
    regs = net.regulators("z")
    norm: Callable[[list[dict[str, int]]], list[list[tuple[str, int]]]] = lambda ps: sorted(sorted(p.items()) for p in ps)
    by_table = implicants.prime_implicants(net.truth_table("z"), regs)
    by_bdd = functions.prime_implicants(net.rule("z"), regs)
    assert norm(by_table[0]) == norm(by_bdd[0]) and norm(by_table[1]) == norm(by_bdd[1])
    assert [e.sign for e in net.edges() if e.target == "z"] == functions.signs(net.rule("z"), regs)
    both = tuple(sorted(set(net.regulators("z")) | set(net.regulators("y"))))
    env = {r: ((np.arange(1 << len(both)) >> j) & 1).astype(bool) for j, r in enumerate(both)}
    same = bool(np.array_equal(np.broadcast_to(net.rule("z").evaluate(env), (1 << len(both),)),
                               np.broadcast_to(net.rule("y").evaluate(env), (1 << len(both),))))
    assert functions.equivalent(net.rule("z"), net.rule("y")) == same
    assert functions.equivalent(net.rule("z"), parse_rule(f"!!({a})"))


@pytest.mark.parametrize("name", ["random_function_6249_terms", "alternating_10000_deep"])
def test_attractors_equal_aeon(name: str, tmp_path: Path) -> None:
    import logicmodel as lm

    text, _ = NETWORKS[name]()
    path = tmp_path / f"{name}.bnet"
    path.write_text(text)
    res = lm.attractors(lm.read_bnet(path))
    aeon_match(path, res)


@pytest.mark.slow
def test_threshold_rule_attractors_equal_aeon(campaign: None, tmp_path: Path) -> None:
    """The 5,050-term threshold rule against AEON (its parser takes ~20 s): with the ``-m slow`` campaigns."""
    test_attractors_equal_aeon("threshold_5050_terms", tmp_path)


def test_too_many_prime_implicants_is_a_clear_error(tmp_path: Path) -> None:
    """(a0|b0) & ... & (a19|b19) has 2**20 prime implicants: the limit is named, through the API and the CLI."""
    pairs = [(f"a{i}", f"b{i}") for i in range(20)]
    text = "".join(f"{a}, {a}\n{b}, {b}\n" for a, b in pairs) + "Z, " + " & ".join(f"({a} | {b})" for a, b in pairs) + "\n"
    network = from_bnet(text)
    with pytest.raises(TooLargeToListError, match="'Z' has too many prime implicants"):
        to_primes(network)
    path = tmp_path / "cnf.bnet"
    path.write_text(text)
    out = tmp_path / "cnf.json"
    run = subprocess.run([sys.executable, "-m", "logicmodel", "export", str(path), "-o", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert "'Z' has too many prime implicants" in run.stderr
    assert not out.exists()


def test_sbml_deeper_than_the_reader_limit_is_refused_both_ways(tmp_path: Path) -> None:
    levels = MAX_XML_DEPTH + 10
    network = from_bnet("A, A\nZ, " + "!(" * levels + "A" + ")" * levels + "\n")
    with pytest.raises(FormatError, match="nests .* levels deep"):
        to_sbml_qual(network)
    inner = '<apply><eq/><ci> A </ci><cn type="integer"> 1 </cn></apply>'
    text = to_sbml_qual(from_bnet("A, A\nZ, !A\n"))
    deep = "<apply><not/>" * levels + inner + "</apply>" * levels
    text = text.replace('<apply><eq/><ci> A </ci><cn type="integer"> 0 </cn></apply>', deep, 1)
    with pytest.raises(FormatError, match="nested more than"):
        from_sbml_qual(text, source="deep.sbml")


def test_cli_answers_long_and_deep_rules(tmp_path: Path) -> None:
    """Through the command line in a subprocess: attractors, export and convert, with no traceback."""
    text, _ = deep_network()
    path = tmp_path / "deep.bnet"
    path.write_text(text)
    cli = [sys.executable, "-m", "logicmodel"]
    for args in (["attractors", str(path), "--json"], ["export", str(path), "-o", str(tmp_path / "deep.sbml")],
                 ["convert", str(tmp_path / "deep.sbml"), str(tmp_path / "back.bnet")],
                 ["export", str(path), "-o", str(tmp_path / "deep.json")], ["info", str(path)]):
        run = subprocess.run(cli + args, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr
    assert from_bnet((tmp_path / "back.bnet").read_text()) == from_bnet(text)
    assert isinstance(from_bnet(text).rule("Z"), (Or, And, Not))
