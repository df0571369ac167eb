"""Reading rules: the bnet dialect, every error path, and round trips."""
from __future__ import annotations

import numpy as np
import pytest

import logicmodel as lm
from logicmodel.model.rules import And, Const, Not, Or, Var, parse_rule

from reference import OSTEO, corpus_names, corpus_path


def test_parse_operators_and_constants():
    e = parse_rule("A & !(B | C) | true")
    assert e == Or((And((Var("A"), Not(Or((Var("B"), Var("C")))))), Const(True)))
    assert parse_rule("0") == Const(False)
    assert parse_rule("FALSE") == Const(False)


def test_header_comments_and_inputs():
    net = lm.from_bnet("targets, factors\n# a comment\nA, A  # input\nB, A & !C\n\nC, 1\n")
    assert net.nodes == ("A", "B", "C")
    assert net.inputs == ("A",)
    assert net.constants == {"C": 1}
    assert [(e.source, e.target, e.sign) for e in net.edges()] == [("A", "A", "+"), ("A", "B", "+"), ("C", "B", "-")]


def test_dual_and_non_essential_signs():
    net = lm.from_bnet("A, A\nB, B\nC, A & !B | !A & B\nD, A | !A & B | A & B")
    signs = {(e.source, e.target): e.sign for e in net.edges()}
    assert signs[("A", "C")] == "±" and signs[("B", "C")] == "±"
    assert signs[("A", "D")] == "+" and signs[("B", "D")] == "+"
    net2 = lm.from_bnet("A, A\nB, A | !A")
    assert net2.edges()[1].sign == "0"


def _error(text: str, source: str = "model.bnet") -> lm.RuleParseError:
    with pytest.raises(lm.RuleParseError) as info:
        lm.from_bnet(text, source=source)
    return info.value


@pytest.mark.parametrize(
    "text, line, column, node, words",
    [
        ("A, A\nB, A & C\n", 2, None, "B", ["'C'", "no rule", "C, C"]),
        ("A, A\nA, !A\n", 2, 1, "A", ["duplicate", "line 1"]),
        ("A, A\nB, \n", 2, None, "B", ["empty rule"]),
        ("A, A\nB, (A & B\n", 2, 4, "B", ["unbalanced", "never closed"]),
        ("A, A\nB, A & B)\n", 2, 9, "B", ["unbalanced", "')'"]),
        ("A, A\nNone, A\n", 2, 1, "None", ["reserved"]),
        ("A, A\nB, A & none\n", 2, 8, "B", ["constant false", "rename"]),
        ("A, A\nB, A and B\n", 2, 6, "B", ["operator word"]),
        ("A, A\nB, A + B\n", 2, 6, "B", ["not a bnet operator", "'|'"]),
        ("A, A\nB, A & & B\n", 2, None, "B", ["cannot parse"]),
        ("A, A\nB A\n", 2, 1, None, ["no comma"]),
        ("A, A\nB-1, A\n", 2, 1, "B-1", ["not a valid node name"]),
        ("A, A\nB, A - B\n", 2, 6, "B", ["'-'"]),
    ],
)
def test_errors_name_file_line_column_node(text, line, column, node, words):
    err = _error(text)
    assert err.source == "model.bnet"
    assert err.line == line
    if column is not None:
        assert err.column == column
    assert err.node == node
    msg = str(err)
    assert msg.startswith(f"model.bnet:{line}")
    for w in words:
        assert w in msg, msg


def test_error_from_file_names_the_file(tmp_path):
    path = tmp_path / "broken.bnet"
    path.write_text("A, A\nB, A &\n")
    with pytest.raises(lm.RuleParseError) as info:
        lm.read_bnet(path)
    assert str(path) in str(info.value) and ":2" in str(info.value)
    with pytest.raises(lm.RuleParseError, match="no such file"):
        lm.read_bnet(tmp_path / "missing.bnet")


def test_errors_are_value_errors():
    assert issubclass(lm.RuleParseError, ValueError)
    assert issubclass(lm.StateSpaceTooLargeError, lm.LogicModelError)


def _same_tables(a: lm.Network, b: lm.Network) -> None:
    assert a.nodes == b.nodes
    for n in a.nodes:
        regs = sorted(set(a.regulators(n)) | set(b.regulators(n)), key=a.index)
        rows = np.arange(1 << len(regs))
        env = {r: ((rows >> j) & 1).astype(bool) for j, r in enumerate(regs)}
        va = np.broadcast_to(a.rule(n).evaluate(env), rows.shape)
        vb = np.broadcast_to(b.rule(n).evaluate(env), rows.shape)
        assert np.array_equal(va, vb), n


def test_round_trip_corpus(repository_model, tmp_path):
    net = lm.read_bnet(corpus_path(repository_model))
    again = lm.from_bnet(lm.to_bnet(net))
    _same_tables(net, again)
    assert again == net
    path = lm.write_bnet(net, tmp_path / "x.bnet")
    _same_tables(net, lm.read_bnet(path))


def test_round_trip_osteoclastogenesis():
    net = lm.read_bnet(OSTEO)
    _same_tables(net, lm.from_bnet(lm.to_bnet(net)))


def test_every_corpus_model_reads():
    for name in corpus_names():
        net = lm.read_bnet(corpus_path(name))
        assert len(net) > 0


def test_perturbations_return_new_networks():
    net = lm.from_bnet("A, A\nB, A")
    ko = net.knockout("B")
    assert net.rule_text("B") == "A" and ko.rule_text("B") == "0"
    assert net.overexpress("A").constants == {"A": 1}
    with pytest.raises(lm.UnknownNodeError, match="did you mean 'B'"):
        net.knockout("b")
    with pytest.raises(lm.PerturbationError):
        net.fix({"A": 2})
