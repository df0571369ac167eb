"""Fuzzing every input: bnet, SBML-qual, metadata TOML, primes JSON and command lines.

The README promises that bad input prints one line naming the file, line, column and node, and exits with
code 2. Every case here, through the API and through the command line, must give either a result or one
of the project's own errors (:class:`logicmodel.errors.LogicModelError`) whose message names the file and,
for a rule, the line and node (the line as an editor counts it). No traceback, no other exception, no hang
(each case has a time limit), no crash. Accepted inputs small enough are checked against an independent
answer: biodivine AEON on the very text we read (bnet, SBML-qual), brute force on the truth tables of a
primes document, so a mutation that we read silently wrong is caught too.

Cases are reproducible: hypothesis runs derandomized, mutations come from ``random.Random(seed)``.

- default run: a few hundred cases, in well under a minute (:data:`CASES`);
- ``-m slow``: the campaign, :data:`SLOW_CASES` per format (at least 1,000), in process, with one case in
  :data:`SUBPROCESS_EVERY` also run as a real ``logicmodel`` process.

``LOGICMODEL_FUZZ_SCALE=3`` multiplies both counts; ``LOGICMODEL_FUZZ_STATS=FILE`` appends each campaign's
outcome counts to FILE (JSON lines), the numbers of the issue's table.
"""
from __future__ import annotations

import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import logicmodel as lm
from logicmodel.errors import LogicModelError, RuleParseError

from fuzz_cases import (CLI_SECONDS, OSTEO_TOML, SMALL_NODES, Outcome, Tally, api_case, billion_laughs, check_cli,
                        check_error, check_rule_error, cli_inprocess, cli_subprocess, deep_mathml, external_entity,
                        mutate_bnet, mutate_primes, mutate_sbml, mutate_toml, random_argv, sbml_seeds,
                        write_small_model, aeon_attractor_sets, _state_sets_by_name)
from reference import OSTEO, corpus_path

_SCALE = float(os.environ.get("LOGICMODEL_FUZZ_SCALE", "1"))
#: Mutation cases per format in the default run.
CASES = {k: max(1, int(v * _SCALE)) for k, v in {"bnet": 120, "sbml": 60, "toml": 60, "primes": 60, "cli": 50}.items()}
#: Cases per format in the ``-m slow`` campaign.
SLOW_CASES = {k: max(1, int(1000 * _SCALE)) for k in CASES}
#: One mutation case in this many also runs as a ``logicmodel`` process (default options).
SUBPROCESS_EVERY = 10
#: Seeds of the default run and of the campaign do not overlap.
SLOW_SEED_OFFSET = 1_000_000


def _also_as_a_process(tally: Tally, argv: list[str], case: str, cwd: Path) -> None:
    """Run one case again as a real ``logicmodel`` process; only a defect counts."""
    sub, _ = cli_subprocess(argv, cwd=cwd)
    sub.case = case + " (CLI process)"
    tally.add(sub, extra=True)


def _finish(tally: Tally) -> None:
    tally.save()
    assert not tally.defects, tally.report()


# =========================================================================== bnet
def _write(tmp: Path, name: str, data: str | bytes) -> Path:
    path = tmp / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _chain(n: int) -> str:
    return "x0, x0\n" + "".join(f"x{i}, x{i - 1}\n" for i in range(1, n))


def _deep(kind: str, depth: int) -> str:
    if kind == "paren":
        return "A, A\nB, " + "(" * depth + "A" + ")" * depth + "\n"
    if kind == "not":
        return "A, A\nB, " + "!" * depth + "A\n"
    if kind == "notparen":
        return "A, A\nB, " + "!(" * depth + "A" + ")" * depth + "\n"
    rule = "A"
    for i in range(depth):
        rule = f"(B | {rule})" if i % 2 else f"(A & {rule})"
    return f"A, A\nB, {rule}\n"


#: Hand-written bnet cases: the issue's list. (id, file content; None = no file, "DIR" = a directory)
BNET_SPECIAL: list[tuple[str, str | bytes | None]] = [
    ("empty", ""),
    ("only-comments", "# nothing\n\n   # here\n"),
    ("only-header", "targets, factors\n"),
    ("missing", None),
    ("directory", "DIR"),
    ("binary", bytes(range(256)) * 4),
    ("nul-in-rule", "A, A\nB, A\x00B\n"),
    ("nul-only", b"\x00" * 64),
    ("bom", "\ufeffA, A\nB, A & !B\n"),
    ("crlf", "targets, factors\r\nA, A\r\nB, A & !B\r\n"),
    ("lone-cr", "A, A\rB, A & (\r"),
    ("form-feed", "A, A\x0cB, A\nC, A & (\n"),
    ("line-separator", "A, A\u2028B, A\nC, A & (\n"),
    ("unbalanced-open", "A, A\nB, (A & (A | B)\n"),
    ("unbalanced-close", "A, A\nB, A & B)\n"),
    ("empty-parens", "A, A\nB, ()\n"),
    ("empty-parens-and", "A, A\nB, A & ()\n"),
    ("unknown-op-xor", "A, A\nB, A ^ B\n"),
    ("unknown-op-implies", "A, A\nB, A => B\n"),
    ("unknown-op-word", "A, A\nB, A and B\n"),
    ("unknown-op-tilde", "A, A\nB, ~A\n"),
    ("unknown-op-star", "A, A\nB, A * B\n"),
    ("not-then-operator", "A, A\nB, !&A\n"),
    ("juxtaposed-negations", "A, A\nB, !A!A | A\n"),
    ("comment-with-nel", "# a comment\x85with a NEL in it\nA, A\n"),
    ("comment-with-line-separator", "A, A  # see\u2028the paper\nB, A\n"),
    ("trailing-op", "A, A\nB, A &\n"),
    ("double-op", "A, A\nB, A && B\n"),
    ("duplicate-target", "A, A\nB, A\nA, !A\n"),
    ("reserved-none", "A, A\nnone, A\n"),
    ("reserved-None-in-rule", "A, A\nB, None | A\n"),
    ("reserved-true", "A, A\ntrue, A\n"),
    ("reserved-false", "A, A\nFALSE, A\n"),
    ("reserved-0", "A, A\n0, A\n"),
    ("reserved-1", "A, A\n1, A\n"),
    ("dash-target", "A-B, A-B\n"),
    ("dash-in-rule", "A, A\nB, A-B\n"),
    ("dot-target", "a.b, a.b\n"),
    ("unicode-target", "Ä, Ä\n"),
    ("unicode-in-rule", "A, A\nB, A & λ\n"),
    ("nbsp", "A, A\nB,\u00a0A\n"),
    ("no-comma", "A, A\nB A\n"),
    ("empty-rule", "A, A\nB,\n"),
    ("empty-target", "A, A\n, A\n"),
    ("undefined-regulator", "A, A\nB, C\n"),
    ("targets-node", "targets, factors\ntargets, targets\nB, targets & !B\n"),
    ("deep-paren-10000", _deep("paren", 10_000)),
    ("deep-not-10000", _deep("not", 10_000)),
    ("deep-notparen-10000", _deep("notparen", 10_000)),
    ("deep-andor-10000", _deep("andor", 10_000)),
    ("deep-andor-600", _deep("andor", 600)),
    ("deep-andor-400", _deep("andor", 400)),
    ("chain-2000", _chain(2_000)),
    ("long-line", "A, A\nB, " + " | ".join(["A"] * 50_000) + "\n"),
    ("huge-name", "A" * 100_000 + ", A\nA, A\n"),
    ("many-commas", "A, A, A\n"),
    ("tab-separated", "A,\tA\nB,\tA & !B\n"),
]


def _special_path(tmp: Path, content: str | bytes | None, name: str = "case.bnet") -> Path:
    path = tmp / name
    if content is None:
        return path
    if content == "DIR":
        path.mkdir()
        return path
    return _write(tmp, name, content)


def _bnet_text(content: str | bytes | None) -> str | None:
    if isinstance(content, bytes):
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None if content in (None, "DIR") else content


@pytest.mark.parametrize("case, content", BNET_SPECIAL, ids=[c for c, _ in BNET_SPECIAL])
def test_bnet_special_api(case, content, tmp_path):
    path = _special_path(tmp_path, content)
    out = api_case(path, reference="aeon", text=_bnet_text(content))
    assert out.ok, f"{case}: {out.detail}"


@pytest.mark.parametrize("case, content", BNET_SPECIAL, ids=[c for c, _ in BNET_SPECIAL])
def test_bnet_special_cli(case, content, tmp_path):
    """Through a real process, default options: `attractors`; then `export` (a second walk over the rules)."""
    path = _special_path(tmp_path, content)
    out, proc = cli_subprocess(["attractors", str(path)], cwd=tmp_path)
    assert out.ok, f"{case}: attractors: {out.detail}"
    if out.kind == "clean":
        assert str(path) in proc.stderr, f"{case}: the error does not name the file: {proc.stderr!r}"
    else:
        out = cli_inprocess(["export", str(path), "-o", str(tmp_path / "out.sbml")])
        assert out.ok, f"{case}: export: {out.detail}"


def test_bnet_line_numbers_count_as_editors_do(tmp_path):
    """Form feeds, NEL and Unicode line separators are not line breaks in a text editor (nor in AEON or
    pyboolnet): an error further down must be reported on the line the user sees."""
    for sep in ("\x0c", "\x85", "\u2028", "\x1c", "\v"):
        path = _write(tmp_path, "ff.bnet", f"A, A  # page{sep}break\nB, A\nC, A & (\n")
        with pytest.raises(RuleParseError) as info:
            lm.read_bnet(path)
        assert info.value.line == 3 and info.value.node == "C", f"{sep!r}: {info.value}"


def _bnet_campaign(tmp_path: Path, n: int, offset: int) -> Tally:
    tally = Tally("bnet")
    for i in range(n):
        seed = offset + i
        what, data = mutate_bnet(random.Random(seed))
        path = _write(tmp_path, f"m{seed % 7}.bnet", data)
        text = _bnet_text(data)
        case = f"seed {seed}: {what}"
        out = api_case(path, reference="aeon", text=text)
        out.case = case
        tally.add(out)
        cli = cli_inprocess(["attractors", str(path), "--time-limit", "10"])
        cli.case = case + " (CLI in process)"
        tally.add(cli, extra=True)
        if i % SUBPROCESS_EVERY == 0:
            _also_as_a_process(tally, ["attractors", str(path)], case, tmp_path)
    return tally


def test_bnet_mutations(tmp_path):
    """Seeded mutations of the bundled model and the repository models (byte flips, truncation,
    parentheses, other dialects' operators, duplicates, reserved names, dashes, dots, unicode, CRLF, BOM,
    NUL bytes, deep nesting, ...)."""
    _finish(_bnet_campaign(tmp_path, CASES["bnet"], 0))


@pytest.mark.slow
def test_bnet_campaign(campaign, tmp_path):
    _finish(_bnet_campaign(tmp_path, SLOW_CASES["bnet"], SLOW_SEED_OFFSET))


# -- hypothesis: bnet text from a hostile grammar, checked in memory
_NAMES = st.sampled_from(["A", "B", "C", "x_1", "none", "True", "0", "1", "A-B", "a.b", "Ä", "targets", "and", "_"])
_ATOMS = _NAMES | st.sampled_from(["0", "1", "true", "false"])


def _exprs() -> st.SearchStrategy[str]:
    return st.recursive(_ATOMS, lambda e: st.one_of(
        e.map(lambda x: f"!{x}"), e.map(lambda x: f"({x})"),
        st.tuples(e, st.sampled_from([" & ", " | ", "&", "|", " ^ ", " and ", " => ", " ", " && ", ", "]), e).map("".join),
        st.tuples(e, st.sampled_from(["(", ")", "!", "&", "|", "#", ""])).map("".join)), max_leaves=12)


_LINES = st.one_of(
    st.tuples(_NAMES, st.sampled_from([", ", ",", " , ", ",\t", " "]), _exprs()).map("".join),
    st.sampled_from(["", "# comment", "targets, factors", "   ", "A", ",", "A,"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
)


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(lines=st.lists(_LINES, min_size=0, max_size=6), newline=st.sampled_from(["\n", "\r\n"]))
def test_bnet_hypothesis(lines, newline):
    text = newline.join(lines) + newline
    source = "fuzz.bnet"
    try:
        net = lm.from_bnet(text, source=source)
    except RuleParseError as err:
        problem = check_rule_error(err, source, text)
        assert problem is None, f"{problem}\n{text!r}"
        return
    except LogicModelError as err:  # pragma: no cover - only rule errors are expected here
        pytest.fail(f"{type(err).__name__} from bnet text: {err}\n{text!r}")
    res = lm.attractors(net, "asynchronous")
    if len(net) <= 8:
        import tempfile

        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "h.bnet"
            path.write_text(text)
            theirs = aeon_attractor_sets(path)
        if theirs is not None:
            assert _state_sets_by_name(res, net.nodes) == theirs, f"attractors differ from AEON's\n{text!r}"


# =========================================================================== SBML-qual
def _small_sbml() -> str:
    return lm.to_sbml_qual(lm.from_bnet("A, A\nB, A & !C\nC, B | A\n", name="small"))


def _replace_math(sbml: str, math: str) -> str:
    return re.sub(r"(<math[^>]*>)(.*?)(</math>)", lambda g: g.group(1) + math + g.group(3), sbml, count=1, flags=re.S)


SBML_SPECIAL: list[tuple[str, object]] = [
    ("empty", ""),
    ("not-xml", "hello, world"),
    ("truncated", lambda s: s[: len(s) // 2]),
    ("unclosed-tag", lambda s: s.replace("</qual:listOfTransitions>", "", 1)),
    ("binary", bytes(range(256))),
    ("no-qual-namespace", lambda s: s.replace("http://www.sbml.org/sbml/level3/version1/qual/version1", "http://example.org/x")),
    ("no-qual-prefix", lambda s: s.replace(' xmlns:qual="http://www.sbml.org/sbml/level3/version1/qual/version1"', "")),
    ("plain-sbml", '<?xml version="1.0"?><sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" '
                   'version="1"><model id="m"/></sbml>'),
    ("no-model", '<?xml version="1.0"?><sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1"/>'),
    ("maxlevel-2", lambda s: s.replace('qual:maxLevel="1"', 'qual:maxLevel="2"', 1)),
    ("undeclared-input", lambda s: re.sub(r'qual:qualitativeSpecies="C" qual:transitionEffect="none"',
                                          'qual:qualitativeSpecies="Z" qual:transitionEffect="none"', s, count=1)),
    ("undeclared-ci", lambda s: s.replace("<ci> C </ci>", "<ci> Z </ci>", 1)),
    ("unsupported-plus", lambda s: _replace_math(s, '<apply><plus/><ci> A </ci><cn type="integer"> 1 </cn></apply>')),
    ("unsupported-sin", lambda s: _replace_math(s, "<apply><sin/><ci> A </ci></apply>")),
    ("unsupported-piecewise", lambda s: _replace_math(s, "<piecewise><piece><true/><true/></piece></piecewise>")),
    ("unsupported-lambda", lambda s: _replace_math(s, "<lambda><bvar><ci> x </ci></bvar><ci> x </ci></lambda>")),
    ("real-threshold", lambda s: s.replace('<cn type="integer"> 1 </cn>', "<cn> 0.5 </cn>", 1)),
    ("deep-mathml-500", lambda s: _replace_math(s, deep_mathml(500))),
    ("deep-mathml-1000", lambda s: _replace_math(s, deep_mathml(1000))),
    ("deep-mathml-10000", lambda s: _replace_math(s, deep_mathml(10_000))),
    ("deep-mathml-and-3000", lambda s: _replace_math(s, "<apply><and/><true/>" * 3000 + "<true/>" + "</apply>" * 3000)),
    ("billion-laughs", lambda s: billion_laughs(s, 9)),
    ("quadratic-blowup", lambda s: s.split("?>", 1)[0] + '?>\n<!DOCTYPE sbml [<!ENTITY a "' + "x" * 100_000 + '">]>'
                                    + re.sub(r'qual:name="[^"]*"', 'qual:name="' + "&a;" * 10_000 + '"', s.split("?>", 1)[1], count=1)),
    ("reserved-species", lambda s: s.replace('"C"', '"none"').replace("<ci> C </ci>", "<ci> none </ci>")),
    ("two-outputs-same-species", lambda s: s.replace('qual:qualitativeSpecies="B" qual:transitionEffect="assignmentLevel"',
                                                     'qual:qualitativeSpecies="A" qual:transitionEffect="assignmentLevel"')),
]


def _sbml_content(spec: object) -> str | bytes:
    return spec(_small_sbml()) if callable(spec) else spec  # type: ignore[return-value]


@pytest.mark.parametrize("case, spec", SBML_SPECIAL, ids=[c for c, _ in SBML_SPECIAL])
def test_sbml_special_api(case, spec, tmp_path):
    path = _write(tmp_path, "case.sbml", _sbml_content(spec))
    t0 = time.perf_counter()
    out = api_case(path, reference="aeon")
    assert out.ok, f"{case}: {out.detail}"
    assert time.perf_counter() - t0 < 10, f"{case}: took {time.perf_counter() - t0:.1f} s"


def _run_measured(argv: list[str], cwd: Path, seconds: float = CLI_SECONDS) -> tuple[int, str, str, float, float]:
    """A ``logicmodel`` process: exit code, stdout, stderr, wall seconds and peak memory (MiB) of that process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "logicmodel", *argv], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, errors="replace")
    try:
        out, err = proc.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        return -9, out, err + f"\n(killed after {seconds} s)", time.perf_counter() - t0, float("nan")
    # the peak RSS of this child alone: children's maxima are kept per process by wait4, but Popen has
    # already reaped it; RUSAGE_CHILDREN's maximum is an upper bound (the largest child so far)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return proc.returncode, out, err, time.perf_counter() - t0, peak


@pytest.mark.parametrize("case, spec", SBML_SPECIAL, ids=[c for c, _ in SBML_SPECIAL])
def test_sbml_special_cli(case, spec, tmp_path):
    path = _write(tmp_path, "case.sbml", _sbml_content(spec))
    out, proc = cli_subprocess(["convert", str(path), str(tmp_path / "out.bnet")], cwd=tmp_path)
    assert out.ok, f"{case}: {out.detail}"
    if out.kind == "clean":
        assert str(path) in proc.stderr, f"{case}: the error does not name the file: {proc.stderr!r}"
        assert not (tmp_path / "out.bnet").exists(), f"{case}: a failed conversion wrote its output"


def test_sbml_empty_logical_operators_follow_the_spec(tmp_path):
    """SBML L3v2 (section 3.4.10): and() with no argument is true, or() and xor() false."""
    sbml = lm.to_sbml_qual(lm.from_bnet("A, A\nB, A & !B\n"))
    for op, want in (("and", "1"), ("or", "0"), ("xor", "0")):
        path = _write(tmp_path, f"{op}.sbml", _replace_math(sbml, f"<apply><{op}/></apply>"))
        try:
            rule = lm.read_network(path).rule_text("A")
        except lm.FormatError as err:  # refusing it is fine too, if the message names the operator
            assert op == "xor" and f"<{op}/>" in str(err), str(err)
            continue
        assert rule == want, op


def test_billion_laughs_is_quick_and_small(tmp_path):
    path = _write(tmp_path, "lol.sbml", billion_laughs(_small_sbml(), 9))
    code, out, err, wall, peak = _run_measured(["attractors", str(path)], tmp_path)
    assert check_cli(code, out, err).kind == "clean", err
    assert wall < 20 and peak < 2048, f"{wall:.1f} s, {peak:.0f} MiB"


@pytest.mark.parametrize("where", ["id", "name", *(pytest.param(w, marks=pytest.mark.slow) for w in ("ci", "notes", "model-id"))])
def test_external_entity_is_never_read(where, tmp_path):
    """XXE: a ``file://`` entity naming a secret file; the secret must appear in no output at all."""
    secret = tmp_path / "secret.txt"
    token = "TOP_SECRET_7f3a9c"
    secret.write_text(token)
    path = _write(tmp_path, "xxe.sbml", external_entity(_small_sbml(), secret, where))
    outputs = []
    try:
        net = lm.read_network(path)
        outputs += [lm.to_bnet(net), lm.to_sbml_qual(net), json.dumps(lm.to_primes(net)), repr(net.nodes)]
    except LogicModelError as err:
        outputs.append(str(err))
        assert check_error(err, str(path)).ok
    for argv in (["attractors", str(path), "--json"], ["info", str(path)], ["export", str(path), "-o", str(tmp_path / "o.sbml")],
                 ["convert", str(path), str(tmp_path / "o.bnet")], ["graph", str(path), "-o", str(tmp_path / "o.graphml")]):
        res, proc = cli_subprocess(argv, cwd=tmp_path)
        assert res.ok, f"{argv[0]}: {res.detail}"
        outputs += [proc.stdout, proc.stderr]
    for f in tmp_path.iterdir():
        if f.name not in ("secret.txt",) and f.is_file():
            outputs.append(f.read_text(errors="replace"))
    leaked = [o[:200] for o in outputs if token in o and o is not None]
    # the input file itself names the secret's path, not its content
    assert not leaked, f"the secret was read into an output: {leaked}"


def _sbml_campaign(tmp_path: Path, n: int, offset: int) -> Tally:
    tally = Tally("sbml")
    for i in range(n):
        seed = offset + i
        what, text = mutate_sbml(random.Random(seed))
        path = _write(tmp_path, f"m{seed % 7}.sbml", text)
        case = f"seed {seed}: {what}"
        out = api_case(path, reference="aeon")
        out.case = case
        tally.add(out)
        if i % SUBPROCESS_EVERY == 0:
            _also_as_a_process(tally, ["attractors", str(path)], case, tmp_path)
        elif i % 3 == 0:
            cli = cli_inprocess(["convert", str(path), str(tmp_path / "o.bnet")])
            cli.case = case + " (CLI in process)"
            tally.add(cli, extra=True)
    return tally


def test_sbml_mutations(tmp_path):
    _finish(_sbml_campaign(tmp_path, CASES["sbml"], 0))


@pytest.mark.slow
def test_sbml_campaign(campaign, tmp_path):
    _finish(_sbml_campaign(tmp_path, SLOW_CASES["sbml"], SLOW_SEED_OFFSET))


# =========================================================================== metadata TOML
def _osteo_copy(tmp: Path) -> Path:
    path = tmp / "osteo.bnet"
    path.write_text(OSTEO.read_text())
    return path


TOML_SPECIAL: list[tuple[str, str]] = [
    ("invalid-toml", "[model\nname = 1\n"),
    ("binary", "\x00\x01\x02"),
    ("empty", ""),
    ("top-level-array", "x = [1, 2]\n"),
    ("unknown-section", "[foo]\na = 1\n"),
    ("inputs-not-a-table", "inputs = 5\n"),
    ("input-unknown-node", "[inputs]\nNope = 0\n"),
    ("input-not-an-input", "[inputs]\nKinase = 0\n"),
    ("input-default-text", '[inputs]\nSignal = { default = "1" }\n'),
    ("input-default-2", "[inputs]\nSignal = 2\n"),
    ("input-kind-int", "[inputs]\nSignal = { default = 0, kind = 3 }\n"),
    ("phenotype-missing-when", '[[phenotypes]]\nname = "x"\n'),
    ("phenotype-when-list", '[[phenotypes]]\nname = "x"\nwhen = [1]\n'),
    ("phenotype-unknown-node", '[[phenotypes]]\nname = "x"\nwhen = { Nope = 1 }\n'),
    ("phenotype-name-int", "[[phenotypes]]\nname = 1\nwhen = { Output = 1 }\n"),
    ("phenotypes-table", "[phenotypes]\nname = 1\n"),
    ("targets-unknown", '[targets]\npathological = "nope"\nhealthy = "nope"\n'),
    ("condition-unknown-node", "[conditions.c]\nset = { Nope = 1 }\n"),
    ("condition-not-input", "[inputs]\nSignal = 0\n[conditions.c]\nset = { Kinase = 1 }\n"),
    ("condition-set-list", "[conditions.c]\nset = [1]\n"),
    ("condition-not-table", "[conditions]\nc = 1\n"),
    ("intervention-unknown-node", "[interventions.i]\nset = { Nope = 1 }\n"),
    ("intervention-value-2", "[interventions.i]\nset = { Drug = 2 }\n"),
    ("node-unknown", '[nodes.Nope]\nname = "x"\n'),
    ("node-ids-list", "[nodes.Kinase]\nids = [1]\n"),
    ("node-cell-unknown", '[cells.a]\n[nodes.Kinase]\ncell = "b"\n'),
    ("node-evidence-bad", '[nodes.Kinase]\nevidence = ["nonsense"]\n'),
    ("observation-unknown-condition", '[[observations]]\nconditions = ["nope"]\nexpect = []\n'),
    ("observation-unknown-phenotype", '[[observations]]\nexpect = ["nope"]\n'),
    ("observation-unknown-node", "[[observations]]\nnodes = { Nope = 1 }\n"),
    ("observation-perturbation-unknown", '[[observations]]\nperturbation = { Nope = 0 }\nnodes = { Output = 1 }\n'),
    ("observation-empty", "[[observations]]\nid = \"1\"\n"),
    ("observation-relation-bad", '[[observations]]\nrelation = "nope"\n'),
    ("report-unknown-key", "[report]\nx = 1\n"),
    ("report-unknown-condition", '[report]\nintervention_conditions = ["nope"]\n'),
    ("cells-color-int", "[cells.a]\ncolor = 5\n"),
    ("model-not-table", "model = 5\n"),
]


@pytest.mark.parametrize("case, text", TOML_SPECIAL, ids=[c for c, _ in TOML_SPECIAL])
def test_toml_special(case, text, tmp_path):
    model = write_small_model(tmp_path)
    meta = _write(tmp_path, "bad.toml", text)
    out = api_case(model, metadata=meta)
    assert out.ok, f"{case}: {out.detail}"
    res = cli_inprocess(["info", str(model), "--metadata", str(meta)])
    assert res.ok, f"{case}: {res.detail}"
    if out.kind == "clean":
        assert res.kind == "clean" and str(meta) in res.detail, f"{case}: {res.detail}"


@pytest.mark.parametrize("what, old, new", [
    ("phenotype colour", 'color = "#c0392b"', 'color = "notacolor"'),
    ("phenotype colour type", 'color = "#c0392b"', 'color = "#12"'),
    ("cell colour", 'color = "#f4d03f"', 'color = "not a colour"'),
    ("model name int", 'name = "osteoclastogenesis"', "name = 5"),
    ("model title list", 'title = "RANKL-RANK-OPG control of osteoclastogenesis and bone resorption"', "title = [1, 2]"),
])
def test_toml_values_used_by_figures_and_reports(what, old, new, tmp_path):
    """Values the metadata check lets through must not break the commands that draw and write them."""
    model = _osteo_copy(tmp_path)
    text = OSTEO_TOML.read_text()
    assert old in text
    (tmp_path / "osteo.toml").write_text(text.replace(old, new, 1))
    verbs = [["conditions", str(model), "--out", str(tmp_path / "c")], ["info", str(model)]]
    if what.startswith("cell"):  # compartments colour the network figure of the report
        verbs.append(["report", str(model), "--out", str(tmp_path / "r")])
    for argv in verbs:
        res, proc = cli_subprocess(argv, cwd=tmp_path)
        assert res.ok, f"{what}: {argv[0]}: {res.detail}"


def _toml_campaign(tmp_path: Path, n: int, offset: int) -> Tally:
    tally = Tally("toml")
    small = write_small_model(tmp_path / "small")
    osteo = _osteo_copy(tmp_path)
    bases = [(small, (tmp_path / "small" / "small.toml").read_text(), list(SMALL_NODES)),
             (osteo, OSTEO_TOML.read_text(), list(lm.read_bnet(OSTEO).nodes))]
    for i in range(n):
        seed = offset + i
        rng = random.Random(seed)
        model, base, nodes = bases[rng.random() < 0.5]
        what, text = mutate_toml(rng, base, nodes)
        meta = _write(tmp_path, f"m{seed % 7}.toml", text)
        case = f"seed {seed}: {model.stem}: {what}"
        out = api_case(model, metadata=meta)
        out.case = case
        tally.add(out)
        if i % SUBPROCESS_EVERY == 0:
            verb = ["attractors", str(model), "--metadata", str(meta), "--condition", "baseline"]
            _also_as_a_process(tally, verb, case, tmp_path)
        elif out.kind == "result" and model == small:
            for argv in (["info", str(model), "--metadata", str(meta)],
                         ["validate", str(model), "--metadata", str(meta)]):
                cli = cli_inprocess(argv)
                cli.case = case + f" ({argv[0]} in process)"
                tally.add(cli, extra=True)
    return tally


def test_toml_mutations(tmp_path):
    _finish(_toml_campaign(tmp_path, CASES["toml"], 0))


@pytest.mark.slow
def test_toml_campaign(campaign, tmp_path):
    _finish(_toml_campaign(tmp_path, SLOW_CASES["toml"], SLOW_SEED_OFFSET))


# =========================================================================== primes JSON
PRIMES_SPECIAL: list[tuple[str, str]] = [
    ("empty", ""),
    ("not-json", "{A: 1}"),
    ("list", "[1, 2]"),
    ("empty-object", "{}"),
    ("node-not-pair", '{"A": 5}'),
    ("three-lists", '{"A": [[], [], []]}'),
    ("implicant-int", '{"A": [[1], [2]]}'),
    ("implicant-list", '{"A": [[[]], [["A"]]]}'),
    ("implicant-str", '{"A": [["x"], ["A"]]}'),
    ("implicant-null", '{"A": [[null], [null]]}'),
    ("implicant-float", '{"A": [[], [1.5]]}'),
    ("implicant-bool", '{"A": [[true], []]}'),
    ("value-2", '{"A": [[], [{"A": 2}]]}'),
    ("value-str", '{"A": [[], [{"A": "1"}]]}'),
    ("value-nan", '{"A": [[], [{"A": NaN}]]}'),
    ("unknown-regulator", '{"A": [[], [{"B": 1}]]}'),
    ("reserved-name", '{"none": [[], []]}'),
    ("dash-name", '{"A-B": [[], []]}'),
    ("deep-100000", "[" * 100_000 + "]" * 100_000),
    ("deep-in-node", '{"A": ' + "[" * 100_000 + "]" * 100_000 + "}"),
    ("huge-int", '{"A": [[], [{"A": 1' + "0" * 5000 + "}]]}"),
    ("binary", "\x00\xff"),
    ("bom", '\ufeff{"A": [[{"A": 0}], [{"A": 1}]]}'),
]


def _json_reference(text: str) -> object:
    """The document Python's own decoder reads from ``text`` (``None`` if it refuses it), under Python's
    default recursion limit whatever another library set (mpbn sets 100,000: a C stack overflow here)."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None
    finally:
        sys.setrecursionlimit(old)


def test_deep_json_is_an_error_even_under_a_raised_recursion_limit(tmp_path):
    """mpbn raises the recursion limit to 100,000; json's C decoder would then overflow the C stack on a
    100,000-deep document (a segmentation fault). The readers measure the depth first (in a child process,
    so a crash is seen as one)."""
    deep = '{"A": ' + "[" * 100_000 + "]" * 100_000 + "}"
    (tmp_path / "deep.json").write_text(deep)
    journal = tmp_path / "journal.jsonl"
    journal.write_text('{"header": {}}\n' + "[" * 100_000 + "]" * 100_000 + "\n")
    code = ("import sys; sys.setrecursionlimit(100_000)\n"
            "import logicmodel as lm\n"
            "from pathlib import Path\n"
            "from logicmodel.screen.journal import read_journal\n"
            "try:\n"
            f"    lm.read_network({str(tmp_path / 'deep.json')!r})\n"
            "except lm.LogicModelError as err:\n"
            "    print('error:', err)\n"
            f"print('rows:', len(read_journal(Path({str(journal)!r}), {{}})))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "deep.json" in proc.stdout and "nested 100,001 deep" in proc.stdout
    assert "rows: 0" in proc.stdout


@pytest.mark.parametrize("case, text", PRIMES_SPECIAL, ids=[c for c, _ in PRIMES_SPECIAL])
def test_primes_special(case, text, tmp_path):
    path = _write(tmp_path, "case.json", text)
    doc = _json_reference(text)
    out = api_case(path, reference="primes", primes_doc=doc)
    assert out.ok, f"{case}: {out.detail}"
    res, proc = cli_subprocess(["attractors", str(path)], cwd=tmp_path)
    assert res.ok, f"{case}: {res.detail}"
    if res.kind == "clean":
        assert str(path) in proc.stderr, f"{case}: the error does not name the file: {proc.stderr!r}"


def _primes_campaign(tmp_path: Path, n: int, offset: int) -> Tally:
    tally = Tally("primes")
    for i in range(n):
        seed = offset + i
        what, text = mutate_primes(random.Random(seed))
        path = _write(tmp_path, f"m{seed % 7}.json", text)
        doc = _json_reference(text)
        case = f"seed {seed}: {what}"
        out = api_case(path, reference="primes", primes_doc=doc)
        out.case = case
        tally.add(out)
        if i % SUBPROCESS_EVERY == 0:
            _also_as_a_process(tally, ["attractors", str(path)], case, tmp_path)
    return tally


def test_primes_mutations(tmp_path):
    _finish(_primes_campaign(tmp_path, CASES["primes"], 0))


@pytest.mark.slow
def test_primes_campaign(campaign, tmp_path):
    _finish(_primes_campaign(tmp_path, SLOW_CASES["primes"], SLOW_SEED_OFFSET))


# =========================================================================== command lines
def _cli_special(tmp: Path) -> list[tuple[str, list[str], tuple[str, ...]]]:
    raf = str(corpus_path("raf"))
    (tmp / "afile").write_text("keep")
    return [
        ("set-2", ["attractors", raf, "--set", "Raf=2"], ("Raf",)),
        ("set-no-value", ["attractors", raf, "--set", "Raf"], ("Raf",)),
        ("set-unknown", ["attractors", raf, "--set", "Nope=1"], ("Nope",)),
        ("ko-unknown", ["attractors", raf, "--ko", "Nope"], ("Nope",)),
        ("condition-unknown", ["attractors", "--condition", "menopause"], ("menopause",)),
        ("intervention-unknown", ["attractors", "--intervention", "aspirin"], ("aspirin",)),
        ("condition-without-metadata", ["attractors", raf, "--condition", "baseline"], ()),
        ("max-states-0", ["attractors", raf, "--max-states", "0"], ()),
        ("max-states-minus-1", ["attractors", raf, "--max-states", "-1"], ()),
        ("max-states-0-exhaustive", ["attractors", raf, "--max-states", "0", "--method", "exhaustive"], ("--max-states",)),
        ("max-states-not-a-number", ["attractors", raf, "--max-states", "many"], ("--max-states",)),
        ("seed-minus-1-candidates", ["attractors", raf, "--method", "candidates", "--seed", "-1"], ()),
        ("time-limit-0", ["attractors", raf, "--time-limit", "0"], ()),
        ("workers-0", ["screen", "--nodes", "OPG", "--order", "1", "--workers", "0", "--out", str(tmp / "s")], ("workers",)),
        ("workers-minus-1", ["screen", "--nodes", "OPG", "--order", "1", "--workers", "-1", "--out", str(tmp / "s")], ("workers",)),
        ("screen-unknown-node", ["screen", "--nodes", "Nope", "--out", str(tmp / "s")], ("Nope",)),
        ("screen-unknown-condition", ["screen", "--conditions", "nope", "--out", str(tmp / "s")], ("nope",)),
        ("out-on-a-file", ["conditions", "--out", str(tmp / "afile")], ("afile",)),
        ("out-on-a-file-report", ["report", "--out", str(tmp / "afile")], ("afile",)),
        ("screen-out-on-a-file", ["screen", "--nodes", "OPG", "--order", "1", "--out", str(tmp / "afile")], ("afile",)),
        ("export-under-a-file", ["export", "-o", str(tmp / "afile" / "x.sbml")], ("afile",)),
        ("export-unwritable", ["export", "-o", "/proc/x.sbml"], ("/proc/x.sbml",)),
        ("export-missing-parent", ["export", "-o", str(tmp / "no" / "such" / "dir" / "x.sbml")], ()),
        ("export-unknown-extension", ["export", "-o", str(tmp / "x.txt")], ("x.txt",)),
        ("convert-unwritable", ["convert", raf, "/proc/x.json"], ("/proc/x.json",)),
        ("graph-unknown-extension", ["graph", raf, "-o", str(tmp / "g.png")], ("g.png",)),
        ("report-unwritable", ["report", "--out", "/proc/rep"], ("/proc/rep",)),
        ("model-missing", ["attractors", str(tmp / "missing.bnet")], ("missing.bnet",)),
        ("model-directory", ["attractors", str(tmp)], (str(tmp),)),
        ("model-unknown-extension", ["attractors", str(tmp / "afile")], ("afile",)),
        ("metadata-missing", ["attractors", raf, "--metadata", str(tmp / "none.toml")], ("none.toml",)),
        ("simulate-cells-0", ["simulate", "--cells", "0", "--from", "baseline"], ("--cells",)),
        ("reach-unknown-from", ["reach", "--from", "nope", "--to", "resorbing"], ("nope",)),
        ("control-negative-size", ["control", "--target", "quiescent", "--max-size", "-1"], ()),
        ("trapspaces-max-0", ["trapspaces", raf, "--max-spaces", "0"], ("--max-spaces",)),
        ("trapspaces-max-huge", ["trapspaces", raf, "--max-spaces", "99999999999999999999"], ()),
        ("unknown-verb", ["nonsense"], ()),
    ]


def test_cli_special(tmp_path):
    failures = []
    for case, argv, names in _cli_special(tmp_path):
        out, _ = cli_subprocess(argv, cwd=tmp_path, names=names)
        if not out.ok:
            failures.append(f"{case}: logicmodel {' '.join(argv)}\n    {out.detail}")
    assert (tmp_path / "afile").read_text() == "keep", "a failed command changed an existing file"
    assert not failures, "\n".join(failures)


def _cli_campaign(tmp_path: Path, n: int, offset: int) -> Tally:
    tally = Tally("cli")
    model = write_small_model(tmp_path / "model")
    (tmp_path / "afile").write_text("keep")
    for i in range(n):
        seed = offset + i
        argv = random_argv(random.Random(seed), model, tmp_path)
        case = f"seed {seed}: logicmodel {' '.join(argv)}"
        if i % SUBPROCESS_EVERY == 0:
            out, _ = cli_subprocess(argv, cwd=tmp_path)
        else:
            out = cli_inprocess(argv)
        out.case = case
        tally.add(out)
    if (tmp_path / "afile").read_text() != "keep":
        tally.add(Outcome("defect", "a command changed an existing file it was given as a folder", case="afile"), extra=True)
    return tally


def test_cli_random(tmp_path):
    _finish(_cli_campaign(tmp_path, CASES["cli"], 0))


@pytest.mark.slow
def test_cli_campaign(campaign, tmp_path):
    _finish(_cli_campaign(tmp_path, SLOW_CASES["cli"], SLOW_SEED_OFFSET))
