"""Shared generators and checks of the fuzz tests (``test_fuzz.py``, ``test_crash.py``).

- seed files: the bundled model, pyboolnet repository models, their SBML-qual and primes exports;
- seeded mutations (``random.Random(seed)``) of bnet text, SBML-qual XML, metadata TOML, primes JSON and
  command lines, plus hand-written hostile cases (deep nesting, entity expansion, external entities, ...);
- the outcome of one case, through the API or the command line: a result, a clean error (one of the
  project's own errors naming the file, and the line and node where there is one), or a defect;
- independent answers for accepted inputs: biodivine AEON on the very text we read (bnet, SBML-qual), and
  brute force on the truth tables read straight from a primes JSON document.

Nothing here uses logicmodel's engine to compute an expected answer.
"""
from __future__ import annotations

import contextlib
import functools
import io
import itertools
import json
import os
import random
import re
import signal
import subprocess
import sys
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import logicmodel as lm
from logicmodel.errors import FormatError, LogicModelError, MetadataError, RuleParseError

from reference import OSTEO, corpus_names, corpus_nodes, corpus_path, explicit_stg, reference_attractors

ROOT = Path(__file__).resolve().parent.parent
OSTEO_TOML = OSTEO.with_suffix(".toml")
SBML_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sbml"

#: Accepted inputs with at most this many nodes are compared with an independent tool.
REFERENCE_MAX_NODES = 12
#: Accepted inputs with at most this many nodes get their attractors computed through the API.
API_ATTRACTOR_MAX_NODES = 24
#: Seconds one in-process case may take before it counts as a hang.
CASE_SECONDS = 20.0
#: Seconds one command-line case in a subprocess may take before it counts as a hang.
CLI_SECONDS = 60.0

#: Problems of a whole bnet file (no line to name).
FILE_LEVEL_PROBLEMS = ("no rules found", "cannot read", "no such file", "is a directory", "not a model file")


# --------------------------------------------------------------------------- outcomes
@dataclass
class Outcome:
    """What one case did: ``kind`` is ``result``, ``clean`` (a clean error) or ``defect``."""

    kind: str
    detail: str = ""
    case: str = ""

    @property
    def ok(self) -> bool:
        return self.kind != "defect"


@dataclass
class Tally:
    """Outcomes of a campaign: counts per kind and the distinct defects (first reproduction of each)."""

    fmt: str
    counts: Counter[str] = field(default_factory=Counter)
    defects: dict[str, str] = field(default_factory=dict)
    cases: int = 0

    def add(self, out: Outcome, *, extra: bool = False) -> None:
        """Count one case's outcome (``extra``: a further run of the same case, counted only if a defect)."""
        if not extra:
            self.cases += 1
            self.counts[out.kind] += 1
        elif out.kind == "defect":
            self.counts["defect (CLI)"] += 1
        if out.kind == "defect":
            key = _defect_key(out.detail)
            self.defects.setdefault(key, f"{out.detail}\n    case: {out.case}")

    def report(self) -> str:
        lines = [f"{self.fmt}: {self.cases} cases, {dict(self.counts)}; {len(self.defects)} distinct defect(s)"]
        lines += [f"  - {v}" for v in self.defects.values()]
        return "\n".join(lines)

    def save(self) -> None:
        """Append the counts to ``$LOGICMODEL_FUZZ_STATS`` (a JSON-lines file) when it is set."""
        path = os.environ.get("LOGICMODEL_FUZZ_STATS")
        if path:
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"format": self.fmt, "cases": self.cases, **self.counts,
                                     "distinct_defects": list(self.defects.values())}) + "\n")


def _defect_key(detail: str) -> str:
    """Defects of one kind at one place count once (exception class and innermost logicmodel frame)."""
    first = detail.split("\n", 1)[0]
    m = re.match(r"(\w+ \S+)", first)
    frame = re.findall(r"logicmodel/[\w/]+\.py:\d+", detail)
    return f"{m.group(1) if m else first[:60]} @ {frame[-1] if frame else ''}"


class CaseTimeout(BaseException):
    """A case ran past its time (raised by :func:`deadline`)."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise :class:`CaseTimeout` in this (main) thread after ``seconds`` (Python code only)."""
    def on_alarm(signum: int, frame: Any) -> None:
        raise CaseTimeout(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _where(err: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(err.__traceback__) if "logicmodel" in f.filename]
    if not frames:
        frames = traceback.extract_tb(err.__traceback__)[-1:]
    return "; ".join(f"{f.filename.split('site-packages/')[-1].split('/work/main/')[-1]}:{f.lineno}"
                     for f in frames[-2:])


def unexpected(err: BaseException) -> Outcome:
    return Outcome("defect", f"{type(err).__name__} {str(err)[:160]!r} at {_where(err)}")


# --------------------------------------------------------------------------- line numbers as editors count them
def editor_lines(text: str) -> list[str]:
    """The lines of ``text`` as an editor (and AEON, pyboolnet, BoolNet) shows them: split at ``\\r\\n``,
    ``\\r`` or ``\\n`` only (not at form feeds, ``\\x1c``-``\\x1e``, ``\\x85``, ``\\u2028``, ...)."""
    return re.split(r"\r\n|\r|\n", text)


def check_rule_error(err: RuleParseError, source: str, text: str | None) -> str | None:
    """What is wrong with a rule error's message, or ``None``: it must name the file; unless the problem
    is the whole file, the line (an existing line that holds the node it names, and a column within it)."""
    msg = str(err)
    if source not in msg:
        return f"message does not name the file {source!r}: {msg[:200]!r}"
    if any(p in err.problem for p in FILE_LEVEL_PROBLEMS):
        return None
    if err.line is None:
        return f"rule error without a line: {msg[:200]!r}"
    if f"{source}:{err.line}" not in msg:
        return f"message does not show file:line: {msg[:200]!r}"
    if text is not None:
        lines = editor_lines(text)
        if not 1 <= err.line <= len(lines):
            return f"line {err.line} does not exist ({len(lines)} lines): {msg[:200]!r}"
        body = lines[err.line - 1]
        if err.node and err.node not in body:
            return f"line {err.line} as an editor shows it ({body[:60]!r}) does not hold node {err.node!r}: {msg[:200]!r}"
        if err.column is not None and not 1 <= err.column <= len(body) + 1:
            return f"column {err.column} outside line {err.line} ({len(body)} characters): {msg[:200]!r}"
    return None


def check_error(err: BaseException, source: str, text: str | None = None) -> Outcome:
    """Classify an exception raised while reading or using the file ``source``."""
    if isinstance(err, CaseTimeout):
        return Outcome("defect", f"hang: {err}")
    if not isinstance(err, LogicModelError):
        return unexpected(err)
    if isinstance(err, RuleParseError):
        problem = check_rule_error(err, source, text)
        if problem:
            return Outcome("defect", f"RuleParseError unclear: {problem}")
    elif isinstance(err, (FormatError, MetadataError)):
        if source not in str(err):
            return Outcome("defect", f"{type(err).__name__} unclear: does not name {source!r}: {str(err)[:200]!r}")
    return Outcome("clean", f"{type(err).__name__}: {str(err)[:200]}")


# --------------------------------------------------------------------------- independent answers
def _state_sets_by_name(res: Any, nodes: tuple[str, ...]) -> set[frozenset[tuple[tuple[str, int], ...]]]:
    out = set()
    for a in res:
        states = a.states()
        out.add(frozenset(tuple(sorted(zip(nodes, (int(x) for x in row)))) for row in states))
    return out


#: AEON is asked only about texts nested at most this deep (parentheses, ``!`` and XML elements).
AEON_MAX_NESTING = 200
#: ... and only about texts whose lines are at most this long (a rule of 50,000 terms crashes it too).
AEON_MAX_LINE = 2000


def _nesting(text: str) -> int:
    depth = best = 0
    for ch in text:
        if ch in "(<":
            depth += 1
            best = max(best, depth)
        elif ch in ")>":
            depth = max(0, depth - 1)
    bangs = max((len(m) for m in re.findall(r"!+", text)), default=0)
    return max(best, bangs, text.count("<apply>") - text.count("</apply>") + _xml_depth(text))


def _xml_depth(text: str) -> int:
    if "<apply>" not in text:
        return 0
    depth = best = 0
    for m in re.finditer(r"<(/?)apply>", text):
        depth += -1 if m.group(1) else 1
        best = max(best, depth)
    return best


def aeon_attractor_sets(path: Path) -> set[frozenset[tuple[tuple[str, int], ...]]] | None:
    """AEON's asynchronous attractors of the file as sets of states (each a sorted tuple of (node, value)),
    or ``None`` when AEON cannot read it or reads it with parameters (then there is nothing to compare).
    A node called ``targets`` (AEON reads that line as the bnet header) is renamed on AEON's side."""
    import biodivine_aeon as ba

    text = None
    try:
        raw = path.read_text(encoding="utf-8")
        if _nesting(raw) > AEON_MAX_NESTING or max(map(len, raw.splitlines()), default=0) > AEON_MAX_LINE:
            return None  # AEON's recursive parsers overflow the stack (a segfault) on these
        if re.search(r"<apply>\s*<(and|or|xor)\s*/>\s*</apply>", raw):
            return None  # AEON reads and() as false and or() as true; SBML L3v2 (3.4.10) says true and false
        if path.suffix == ".bnet":
            text = raw
            text = "\n".join(line if re.match(r"^\s*targets\s*,\s*factors\s*$", line, re.I)
                             else re.sub(r"\btargets\b", "targets_", line) for line in text.split("\n"))
            bn = ba.BooleanNetwork.from_bnet(text)
        else:
            bn = ba.BooleanNetwork.from_file(str(path))
        if bn.explicit_parameter_count() or bn.implicit_parameter_count():
            return None
        graph = ba.AsynchronousGraph(bn)
        names = [bn.get_variable_name(v) for v in bn.variables()]
        out = set()
        for att in ba.Attractors.attractors(graph):
            states = set()
            for vertex in att.vertices():
                vals = vertex.to_named_dict() if hasattr(vertex, "to_named_dict") else vertex.to_dict()
                states.add(tuple(sorted(("targets" if n == "targets_" else n, int(bool(vals[n]))) for n in names)))
            out.add(frozenset(states))
        return out
    except BaseException as err:  # noqa: BLE001 - AEON refusing a file is no finding of ours
        if isinstance(err, CaseTimeout):
            raise
        return None


def primes_attractor_sets(doc: Any) -> set[frozenset[tuple[tuple[str, int], ...]]] | None:
    """Brute-force asynchronous attractors of a primes document read literally: a node is 1 exactly when
    one of its 1-implicants holds (PyBoolNet's reading), or ``None`` if the document is not that shape."""
    try:
        nodes = list(doc)
        tables = []
        for n in nodes:
            ones = doc[n][1]
            regs = sorted({k for imp in ones for k in imp}, key=nodes.index)
            ridx = tuple(nodes.index(r) for r in regs)
            table = {}
            for vals in itertools.product((0, 1), repeat=len(regs)):
                env = dict(zip(regs, vals))
                table[vals] = int(any(all(env[k] == v for k, v in imp.items()) for imp in ones))
            tables.append((ridx, table))
    except (KeyError, ValueError, TypeError, AttributeError, IndexError):
        return None
    g = explicit_stg(tables, "asynchronous")
    return {frozenset(tuple(sorted(zip(nodes, s))) for s in comp) for comp in reference_attractors(g)}


# --------------------------------------------------------------------------- the API, one case
def api_case(path: Path, *, reference: str | None = None, metadata: Path | None = None,
             text: str | None = None, primes_doc: Any = None) -> Outcome:
    """Load ``path`` (and ``metadata``) through the API; if accepted, compute its attractors when small and
    compare them with ``reference`` (``"aeon"`` or ``"primes"``) when smaller still."""
    source = str(metadata if metadata is not None else path)
    try:
        with deadline(CASE_SECONDS):
            model = lm.load_model(path, metadata=metadata)
            net = model.network
            if len(net) > API_ATTRACTOR_MAX_NODES:
                lm.to_bnet(net)
                return Outcome("result", f"{len(net)} nodes (too many for the attractor check)")
            res = lm.attractors(net, "asynchronous", time_limit=CASE_SECONDS / 2)
            for a in res:
                if a.size <= 1 << 12:
                    a.states()
            text_back = lm.to_bnet(net)
            again = lm.from_bnet(text_back)
            if again.nodes != net.nodes or [again.rule_text(n) for n in net.nodes] != [net.rule_text(n) for n in net.nodes]:
                return Outcome("defect", f"to_bnet does not read back to the same network: {text_back[:200]!r}")
            if len(net) <= REFERENCE_MAX_NODES and reference:
                theirs = (aeon_attractor_sets(path) if reference == "aeon" else primes_attractor_sets(primes_doc))
                if theirs is not None:
                    ours = _state_sets_by_name(res, net.nodes)
                    if ours != theirs:
                        return Outcome("defect", f"wrong answer: attractors differ from {reference} "
                                                 f"(ours {sorted(map(len, ours))}, theirs {sorted(map(len, theirs))})")
            return Outcome("result", f"{len(net)} nodes, {len(res)} attractor(s)")
    except BaseException as err:  # noqa: BLE001 - classifying every outcome is the point
        if isinstance(err, KeyboardInterrupt):
            raise
        if isinstance(err, LogicModelError) and not isinstance(err, (RuleParseError, FormatError, MetadataError)):
            return Outcome("clean", f"{type(err).__name__}: {str(err)[:200]}")  # a limit or a search error
        if text is None and isinstance(err, RuleParseError):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = None
        if isinstance(err, RuleParseError) and metadata is None:
            return check_error(err, str(path), text)
        return check_error(err, source, text)


# --------------------------------------------------------------------------- the command line
def check_cli(code: int | None, out: str, err: str, *, names: tuple[str, ...] = ()) -> Outcome:
    """A command's exit code and output: 0 or 1 without a traceback, or 2 with exactly one error line
    (``logicmodel: error: ...``; argparse's usage line and error line for a malformed command line).
    On an error, every string of ``names`` must appear in the message."""
    if "Traceback" in err or "Traceback" in out:
        last = [l for l in err.strip().splitlines() if l.strip()][-1:] or [""]
        frames = re.findall(r'File "([^"]*logicmodel/[^"]+)", line (\d+)', err)
        where = f" at {frames[-1][0].split('/work/main/')[-1]}:{frames[-1][1]}" if frames else ""
        return Outcome("defect", f"traceback (exit {code}): {last[0][:160]}{where}")
    if code in (0, 1):
        return Outcome("result", f"exit {code}")
    if code == 2:
        lines = err.strip("\n").split("\n") if err.strip() else []
        if lines and lines[0].startswith("usage:"):
            if not re.match(r"^logicmodel( \w+)?: error: ", lines[-1]):
                return Outcome("defect", f"argparse error without an error line: {err[-200:]!r}")
            msg = lines[-1]
        elif len(lines) != 1 or not lines[0].startswith("logicmodel: error: "):
            return Outcome("defect", f"exit 2 with {len(lines)} stderr line(s): {err[:200]!r}")
        else:
            msg = lines[0]
        missing = [n for n in names if n not in msg]
        if missing:
            return Outcome("defect", f"error line does not name {missing}: {msg[:200]!r}")
        return Outcome("clean", msg[:200])
    return Outcome("defect", f"exit code {code}: {err[-300:]!r}")


def cli_inprocess(argv: list[str], *, names: tuple[str, ...] = (), seconds: float = CASE_SECONDS) -> Outcome:
    """Run ``logicmodel.cli.main(argv)`` here, capturing its output (an exception escaping it is a defect)."""
    from logicmodel.cli import main

    out, err = io.StringIO(), io.StringIO()
    try:
        with deadline(seconds), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code: int | None = main(argv)
            except SystemExit as e:  # argparse
                code = e.code if isinstance(e.code, int) else 2
    except BaseException as e:  # noqa: BLE001
        if isinstance(e, KeyboardInterrupt):
            raise
        if isinstance(e, CaseTimeout):
            return Outcome("defect", f"hang: {' '.join(argv)[:200]} ({e})")
        return unexpected(e)
    return check_cli(code, out.getvalue(), err.getvalue(), names=names)


def cli_subprocess(argv: list[str], *, cwd: Path | None = None, names: tuple[str, ...] = (),
                   seconds: float = CLI_SECONDS) -> tuple[Outcome, subprocess.CompletedProcess[str] | None]:
    """Run ``python -m logicmodel ARGV`` in a fresh process with a timeout."""
    try:
        proc = subprocess.run([sys.executable, "-m", "logicmodel", *argv], cwd=cwd, capture_output=True,
                              text=True, timeout=seconds, errors="replace")
    except subprocess.TimeoutExpired:
        return Outcome("defect", f"hang: no answer within {seconds} s"), None
    if proc.returncode < 0:
        return Outcome("defect", f"killed by signal {-proc.returncode} (crash): {proc.stderr[-300:]!r}"), proc
    return check_cli(proc.returncode, proc.stdout, proc.stderr, names=names), proc


# --------------------------------------------------------------------------- seed files
@functools.lru_cache(maxsize=None)
def small_corpus(max_nodes: int = 20) -> tuple[str, ...]:
    return tuple(n for n in corpus_names() if corpus_nodes(n) <= max_nodes)


@functools.lru_cache(maxsize=None)
def bnet_seeds() -> tuple[tuple[str, str], ...]:
    """(name, text) of the bundled model and the repository models of up to 20 nodes."""
    seeds = [("osteoclastogenesis", OSTEO.read_text(encoding="utf-8"))]
    seeds += [(n, corpus_path(n).read_text(encoding="utf-8")) for n in small_corpus()]
    return tuple(seeds)


@functools.lru_cache(maxsize=None)
def sbml_seeds() -> tuple[tuple[str, str], ...]:
    """(name, text): the SBML fixtures of the test suite and our export of small repository models."""
    seeds = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(SBML_FIXTURES.glob("*.sbml"))]
    for n in small_corpus(12):
        seeds.append((n, lm.to_sbml_qual(lm.read_bnet(corpus_path(n)))))
    return tuple(seeds)


@functools.lru_cache(maxsize=None)
def primes_seeds() -> tuple[tuple[str, str], ...]:
    """(name, JSON text) of our primes export of the small repository models."""
    return tuple((n, json.dumps(lm.to_primes(lm.read_bnet(corpus_path(n))))) for n in small_corpus(12))


# --------------------------------------------------------------------------- mutations
#: Tokens that bnet mutations insert: operators of other dialects, reserved names, separators, odd bytes.
BNET_TOKENS = ("(", ")", "((", "))", "!", "&", "|", "&&", "||", "^", "=>", "<=>", "->", "~", "*", "+", "[", "]",
               ",", ",,", "#", "and", "or", "not", "xor", "none", "None", "true", "false", "True", "0", "1",
               "-", ".", "A-B", "a.b", "é", "Ä", "λ", "\u2028", "\x0c", "\x0b", "\x85", "\ufeff", "\x00", "\t",
               "\r", "\r\n", "\n", " ", "targets", "factors", "targets, factors", "1x", "_", "__", "\\", "'", '"',
               "()", "(!)", "&|", "!!", "9" * 30)
RESERVED = ("none", "None", "NONE", "true", "True", "false", "FALSE", "0", "1", "and", "or", "not")


def _names_in(text: str) -> list[str]:
    return sorted(set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)) - {"targets", "factors"}) or ["A"]


def mutate_text(text: str, rng: random.Random, tokens: tuple[str, ...] = BNET_TOKENS) -> tuple[str, str]:
    """One text-level mutation of ``text``: (what was done, the new text)."""
    if not text:
        return "insert into empty", rng.choice(tokens)
    lines = text.split("\n")
    kind = rng.randrange(16)
    pos = rng.randrange(len(text) + 1)
    if kind == 0:
        return "truncate", text[:pos]
    if kind == 1:
        tok = rng.choice(tokens)
        return f"insert {tok!r}", text[:pos] + tok + text[pos:]
    if kind == 2:
        n = rng.randint(1, 8)
        return f"delete {n} chars", text[:pos] + text[pos + n:]
    if kind == 3:
        i = rng.randrange(len(lines))
        return f"duplicate line {i + 1}", "\n".join(lines[: i + 1] + lines[i:])
    if kind == 4:
        i = rng.randrange(len(lines))
        return f"delete line {i + 1}", "\n".join(lines[:i] + lines[i + 1:])
    if kind == 5:
        name = rng.choice(_names_in(text))
        new = rng.choice(RESERVED + ("A-B", "a.b", "Ä", "x y", "1abc", "targets", name + "-1", name + "."))
        return f"rename {name!r} to {new!r}", re.sub(rf"\b{re.escape(name)}\b", new, text)
    if kind == 6:
        ch = rng.choice("()")
        return f"insert {ch!r}", text[:pos] + ch + text[pos:]
    if kind == 7:
        op = rng.choice(["&", "|", "!"])
        new = rng.choice(["^", "=>", "and", "or", "not", "xor", "~", "*", "+", "&&", "||", "-", "."])
        return f"replace {op!r} by {new!r}", text.replace(op, new, rng.randint(1, 3))
    if kind == 8:
        return "CRLF", text.replace("\n", "\r\n")
    if kind == 9:
        return "BOM", "\ufeff" + text
    if kind == 10:
        i = rng.randrange(len(lines))
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        return f"swap lines {i + 1} and {j + 1}", "\n".join(lines)
    if kind == 11:
        depth = rng.choice([50, 300, 1000, 3000])
        return f"nest {depth} deep", text[:pos] + "(" * depth + "A" + ")" * depth + text[pos:]
    if kind == 12:
        return "unicode", text[:pos] + rng.choice(["é", "Ä", "λ", "中", "\u2028", "\u00a0", "\U0001F600"]) + text[pos:]
    if kind == 13:
        i = rng.randrange(len(lines))
        return f"drop comma on line {i + 1}", "\n".join(lines[:i] + [lines[i].replace(",", " ", 1)] + lines[i + 1:])
    if kind == 14:
        k = rng.randint(2, 5)
        return f"mutate {k} times", functools.reduce(lambda t, _: mutate_text(t, rng, tokens)[1], range(k), text)
    name = rng.choice(_names_in(text))
    return f"add rule for {name!r}", text + f"\n{name}, {rng.choice(['!', ''])}{name}\n"


def mutate_bytes(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """A byte-level mutation: flips, random garbage, NULs, truncation."""
    if not data:
        return "garbage", bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    b = bytearray(data)
    kind = rng.randrange(5)
    if kind == 0:
        n = rng.randint(1, 4)
        for _ in range(n):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
        return f"flip {n} bits", bytes(b)
    if kind == 1:
        i = rng.randrange(len(b) + 1)
        return "insert NUL", bytes(b[:i] + b"\x00" + b[i:])
    if kind == 2:
        i = rng.randrange(len(b) + 1)
        junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        return "insert garbage", bytes(b[:i] + junk + b[i:])
    if kind == 3:
        return "truncate", bytes(b[: rng.randrange(len(b) + 1)])
    return "garbage file", bytes(rng.randrange(256) for _ in range(rng.randint(0, 512)))


def mutate_bnet(rng: random.Random) -> tuple[str, bytes]:
    name, text = rng.choice(bnet_seeds())
    if rng.random() < 0.2:
        what, data = mutate_bytes(text.encode("utf-8"), rng)
        return f"{name}: {what}", data
    what, new = mutate_text(text, rng)
    return f"{name}: {what}", new.encode("utf-8")


# -- SBML-qual
_MATHML_UNSUPPORTED = ("<apply><plus/><ci> {s} </ci><cn type=\"integer\"> 1 </cn></apply>",
                       "<apply><sin/><ci> {s} </ci></apply>",
                       "<piecewise><piece><true/><true/></piece></piecewise>",
                       "<apply><eq/><ci> {s} </ci><cn> 0.5 </cn></apply>",
                       "<apply><eq/><ci> {s} </ci><cn type=\"integer\"> 2 </cn></apply>",
                       "<apply><csymbol encoding=\"text\" definitionURL=\"http://www.sbml.org/sbml/symbols/time\"> t </csymbol></apply>",
                       "<apply><eq/><ci> {s} </ci></apply>",
                       "<apply><not/><true/><false/></apply>",
                       "<ci> nowhere </ci>",
                       "<apply><eq/><cn type=\"integer\"> 1 </cn><cn type=\"integer\"> 1 </cn></apply>",
                       "<lambda><bvar><ci> x </ci></bvar><ci> x </ci></lambda>",
                       "<apply><implies/><true/></apply>",
                       "<apply><xor/></apply>",
                       "<apply><and/></apply>")


def deep_mathml(depth: int) -> str:
    return "<apply><not/>" * depth + "<true/>" + "</apply>" * depth


def mutate_sbml(rng: random.Random) -> tuple[str, str]:
    name, text = rng.choice(sbml_seeds())
    species = re.findall(r'qual:id="([^"]+)" qual:compartment', text) or re.findall(r'qual:id="([^"]+)"', text) or ["A"]
    s = rng.choice(species)
    kind = rng.randrange(14)
    if kind == 0:
        return f"{name}: maxLevel 2 on {s}", re.sub(rf'(qual:id="{re.escape(s)}"[^>]*?)qual:maxLevel="1"', r'\1qual:maxLevel="2"', text, 1)
    if kind == 1:
        return f"{name}: no qual namespace", text.replace("http://www.sbml.org/sbml/level3/version1/qual/version1",
                                                          rng.choice(["", "http://example.org/qual", "urn:x"]))
    if kind == 2:
        return f"{name}: input names undeclared species", re.sub(r'qual:qualitativeSpecies="[^"]+" qual:transitionEffect="none"',
                                                                 'qual:qualitativeSpecies="Undeclared" qual:transitionEffect="none"', text, 1)
    if kind == 3:
        return f"{name}: output names undeclared species", re.sub(r'qual:qualitativeSpecies="[^"]+" qual:transitionEffect="assignmentLevel"',
                                                                  'qual:qualitativeSpecies="Undeclared" qual:transitionEffect="assignmentLevel"', text, 1)
    if kind == 4:
        m = rng.choice(_MATHML_UNSUPPORTED).format(s=s)
        return f"{name}: MathML {m[:40]}", re.sub(r"(<math[^>]*>)(.*?)(</math>)", lambda g: g.group(1) + m + g.group(3),
                                                   text, count=1, flags=re.S)
    if kind == 5:
        depth = rng.choice([100, 1000, 5000])
        return f"{name}: MathML {depth} deep", re.sub(r"(<math[^>]*>)(.*?)(</math>)",
                                                      lambda g: g.group(1) + deep_mathml(depth) + g.group(3),
                                                      text, count=1, flags=re.S)
    if kind == 6:
        return f"{name}: species renamed {s!r} to reserved", text.replace(f'"{s}"', f'"{rng.choice(["none", "true", "1", "A-B"])}"')
    if kind == 7:
        return f"{name}: billion laughs", billion_laughs(text, rng.choice([3, 6, 9]))
    if kind == 8:
        return f"{name}: resultLevel 2", text.replace('qual:resultLevel="1"', 'qual:resultLevel="2"', 1)
    if kind == 9:
        return f"{name}: transitionEffect", text.replace('"assignmentLevel"', '"consumption"', 1)
    if kind == 10:
        return f"{name}: delete listOfQualitativeSpecies", re.sub(r"<qual:listOfQualitativeSpecies>.*?</qual:listOfQualitativeSpecies>", "", text, flags=re.S)
    if kind == 11:
        what, data = mutate_bytes(text.encode("utf-8"), rng)
        return f"{name}: {what}", data.decode("utf-8", errors="replace")
    what, new = mutate_text(text, rng, tokens=("<", ">", "</", "/>", "&", "&amp;", "&#0;", "&lt;", '"', "'", "<![CDATA[",
                                               "]]>", "<!--", "-->", "<qual:transition>", "<math>", "\x00", "é"))
    return f"{name}: {what}", new


def billion_laughs(sbml: str, levels: int = 9) -> str:
    """An internal-entity expansion bomb (10^levels copies) referenced from a species name."""
    ents = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, levels + 1)]
    body = sbml.split("?>", 1)[1] if sbml.startswith("<?xml") else sbml
    body = re.sub(r'qual:name="[^"]*"', f'qual:name="&lol{levels};"', body, count=1)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE sbml [{"".join(ents)}]>' + body


def external_entity(sbml: str, secret: Path, where: str) -> str:
    """An SBML document that references ``secret`` through a ``file://`` external entity (XXE)."""
    body = sbml.split("?>", 1)[1] if sbml.startswith("<?xml") else sbml
    ent = f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE sbml [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    if where == "id":
        sid = re.findall(r'qual:id="([^"]+)" qual:compartment', body)[0]
        body = body.replace(f'"{sid}"', '"&xxe;"').replace(f"<ci> {sid} </ci>", "<ci> &xxe; </ci>")
    elif where == "name":
        body = re.sub(r'qual:name="[^"]*"', 'qual:name="&xxe;"', body, count=1)
    elif where == "ci":
        body = re.sub(r"<ci> [^<]+ </ci>", "<ci> &xxe; </ci>", body, count=1)
    elif where == "notes":
        body = body.replace("<model ", '<model ', 1)
        body = re.sub(r"(<model[^>]*>)", r'\1<notes><body xmlns="http://www.w3.org/1999/xhtml"><p>&xxe;</p></body></notes>',
                      body, count=1)
    else:  # the model id
        body = re.sub(r'(<model[^>]*?) id="[^"]*"', r'\1 id="&xxe;"', body, count=1)
    return ent + body


# -- metadata TOML
_TOML_VALUES = ('1', '2', '-1', '0.5', 'true', '"text"', '""', '[]', '[1, 2]', '["a"]', '{}', '{ a = 1 }',
                '{ Nope = 1 }', '1979-05-27', 'nan', 'inf', '"#zz"', '"notacolor"', '[{ x = 1 }]', '"PMID:x"')


def mutate_toml(rng: random.Random, base: str, nodes: list[str]) -> tuple[str, str]:
    lines = base.split("\n")
    assign = [i for i, l in enumerate(lines) if re.match(r"^\s*[A-Za-z_][\w.\"-]*\s*=", l)]
    kind = rng.randrange(8)
    if kind in (0, 1) and assign:  # wrong type
        i = rng.choice(assign)
        key = lines[i].split("=", 1)[0]
        v = rng.choice(_TOML_VALUES)
        lines[i] = f"{key}= {v}"
        return f"line {i + 1}: {key.strip()} = {v}", "\n".join(lines)
    if kind == 2:  # an unknown node in some section
        for_nodes = [i for i, l in enumerate(lines) if any(re.search(rf"\b{re.escape(n)}\b", l) for n in nodes)]
        if for_nodes:
            i = rng.choice(for_nodes)
            n = next(n for n in nodes if re.search(rf"\b{re.escape(n)}\b", lines[i]))
            new = rng.choice(["Nope", n + "x", n.lower(), "none", "A-B", "é"])
            lines[i] = re.sub(rf"\b{re.escape(n)}\b", new, lines[i], count=1)
            return f"line {i + 1}: node {n!r} → {new!r}", "\n".join(lines)
    if kind == 3 and assign:  # a missing key
        i = rng.choice(assign)
        return f"delete line {i + 1} ({lines[i][:30]!r})", "\n".join(lines[:i] + lines[i + 1:])
    if kind == 4:  # delete a whole table
        heads = [i for i, l in enumerate(lines) if l.startswith("[")]
        if heads:
            i = rng.choice(heads)
            j = next((k for k in range(i + 1, len(lines)) if lines[k].startswith("[")), len(lines))
            return f"delete table at line {i + 1} ({lines[i]})", "\n".join(lines[:i] + lines[j:])
    if kind == 5:  # an unknown section or key
        extra = rng.choice(["[foo]\na = 1", "[targets]\nextra = 1", "[report]\nx = 1", "[nodes.Nope]\nname = \"x\"",
                            "[inputs]\nNope = 1", "[conditions.c]\nset = { Nope = 1 }",
                            "[interventions.i]\nset = { Nope = 1 }", "[[phenotypes]]\nname = \"p\"\nwhen = { Nope = 1 }",
                            "[[observations]]\nexpect = [\"nope\"]", "[[observations]]\nconditions = [\"nope\"]\nexpect = []",
                            "[[out_of_scope]]\nid = 1", "[cells.c]\ncolor = 5", "model = 5", "[[phenotypes]]\nname = \"p\"",
                            "[[observations]]\nrelation = \"at_least_wild_type\"", "[[observations]]\nnodes = { Nope = 1 }"])
        return f"append {extra!r}", base + "\n" + extra + "\n"
    what, new = mutate_text(base, rng, tokens=("[", "]", "[[", "]]", "=", '"', "'", '"""', "{", "}", ",", "#", "\x00", "\\",
                                              "é", "\ufeff", "\r", "\n", "1", "true", "."))
    return what, new


# -- primes JSON
_JSON_VALUES: tuple[Any, ...] = (0, 1, 2, -1, 0.5, True, False, None, "", "x", "A-B", "none", [], [[]], [[], []],
                                 [[], [], []], {}, {"A": 1}, {"Nope": 1}, [{"A": 2}], [[1], [2]], [["x"], ["y"]],
                                 [[None], [None]], 10 ** 30, float("inf"))


def mutate_primes(rng: random.Random) -> tuple[str, str]:
    name, text = rng.choice(primes_seeds())
    doc = json.loads(text)
    kind = rng.randrange(7)
    if kind <= 2:  # replace a random sub-value
        paths: list[tuple[Any, ...]] = []

        def walk(v: Any, p: tuple[Any, ...]) -> None:
            paths.append(p)
            if isinstance(v, dict):
                for k, x in v.items():
                    walk(x, p + (k,))
            elif isinstance(v, list):
                for i, x in enumerate(v):
                    walk(x, p + (i,))

        walk(doc, ())
        p = rng.choice(paths[1:] or paths)
        new = rng.choice(_JSON_VALUES)
        if not p:
            return f"{name}: document = {new!r}", json.dumps(new)
        parent = doc
        for k in p[:-1]:
            parent = parent[k]
        parent[p[-1]] = new
        return f"{name}: {'/'.join(map(str, p))} = {new!r}", json.dumps(doc)
    if kind == 3:  # rename a node
        n = rng.choice(list(doc))
        new = rng.choice(["none", "true", "1", "A-B", "", "é", "Nope"])
        doc[new] = doc.pop(n)
        return f"{name}: rename {n!r} to {new!r}", json.dumps(doc)
    if kind == 4:  # delete a node (its name stays in others' implicants)
        n = rng.choice(list(doc))
        del doc[n]
        return f"{name}: delete {n!r}", json.dumps(doc)
    if kind == 5:
        depth = rng.choice([100, 1000, 100000])
        return f"{name}: {depth}-deep list", json.dumps(doc)[:-1] + f', "Deep": {"[" * depth}{"]" * depth}}}'
    what, new = mutate_text(text, rng, tokens=("{", "}", "[", "]", ",", ":", '"', "NaN", "Infinity", "-", "1" * 5000,
                                               "null", "\x00", "é", "\ufeff", "true"))
    return f"{name}: {what}", new


# --------------------------------------------------------------------------- a small model with metadata
SMALL_BNET = """targets, factors
Signal, Signal
Drug, Drug
Receptor, Signal & !Drug
Kinase, Receptor | Kinase & !Phosphatase
Phosphatase, Kinase
Output, Kinase & !Phosphatase
"""

SMALL_TOML = """[model]
name = "small"

[inputs]
Signal = { default = 0, kind = "cytokine" }
Drug = { default = 0, kind = "drug" }

[[phenotypes]]
name = "on"
when = { Output = 1 }
color = "#c0392b"

[[phenotypes]]
name = "off"
when = { Output = 0, Kinase = 0 }
color = "#2e86c1"

[targets]
pathological = "on"
healthy = "off"

[conditions.baseline]
set = {}

[conditions.stimulated]
set = { Signal = 1 }

[interventions.blocker]
set = { Drug = 1 }

[[observations]]
id = "1"
conditions = ["stimulated"]
interventions = ["blocker"]
expect = ["off"]
"""


def write_small_model(folder: Path) -> Path:
    """The small model and its metadata in ``folder``; returns the .bnet path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "small.bnet").write_text(SMALL_BNET)
    (folder / "small.toml").write_text(SMALL_TOML)
    return folder / "small.bnet"


SMALL_NODES = ("Signal", "Drug", "Receptor", "Kinase", "Phosphatase", "Output")


def random_argv(rng: random.Random, model: Path, tmp: Path) -> list[str]:
    """A random command line on the small model: a verb and random options, good and bad values."""
    nodes = list(SMALL_NODES) + ["Nope", "", "none", "signal", "A-B"]
    node = lambda: rng.choice(nodes)  # noqa: E731
    value = lambda: rng.choice(["0", "1", "2", "-1", "", "x", "1.5", "01", " 1"])  # noqa: E731
    number = lambda: rng.choice(["0", "-1", "1", "2", "1000000", "x", "1e3", "", "-0", "99999999999999999999"])  # noqa: E731
    seconds = lambda: rng.choice(["0", "-1", "0.001", "5", "nan", "inf", "x"])  # noqa: E731
    cond = lambda: rng.choice(["baseline", "stimulated", "nope", "", "Baseline"])  # noqa: E731
    iv = lambda: rng.choice(["blocker", "nope", ""])  # noqa: E731
    out = lambda: str(rng.choice([tmp / "out", tmp / "afile", tmp / "missing" / "deep" / "dir",  # noqa: E731
                                  Path("/proc/forbidden"), Path("/dev/null/x"), tmp]))
    fixing = [lambda: ["--set", f"{node()}={value()}"], lambda: ["--set", node()], lambda: ["--ko", node()],
              lambda: ["--oe", node()], lambda: ["--condition", cond()], lambda: ["--intervention", iv()]]
    verbs: dict[str, list[Callable[[], list[str]]]] = {
        "attractors": fixing + [lambda: ["--update", rng.choice(["synchronous", "asynchronous", "most-permissive", "x"])],
                                lambda: ["--max-states", number()], lambda: ["--max-bdd-nodes", number()],
                                lambda: ["--max-candidates", number()], lambda: ["--max-input-combinations", number()],
                                lambda: ["--time-limit", seconds()], lambda: ["--seed", number()],
                                lambda: ["--method", rng.choice(["auto", "exhaustive", "symbolic", "candidates", "factored", "x"])],
                                lambda: ["--json"], lambda: ["--by-inputs"]],
        "trapspaces": fixing + [lambda: ["--kind", rng.choice(["min", "max", "all", "x"])], lambda: ["--max-spaces", number()],
                                lambda: ["--json"]],
        "perturb": fixing[:4] + [lambda: ["--condition", cond()], lambda: ["--intervention", iv()],
                                 lambda: ["--max-states", number()], lambda: ["--json"]],
        "basins": fixing + [lambda: ["--full"], lambda: ["--max-states", number()], lambda: ["--json"],
                            lambda: ["--update", rng.choice(["synchronous", "asynchronous"])]],
        "reach": fixing + [lambda: ["--from", rng.choice(["naive", "baseline", "nope", f"{node()}={value()}", "x"])],
                           lambda: ["--to", rng.choice(["on", "off", "nope", f"{node()}={value()}"])],
                           lambda: ["--max-states", number()], lambda: ["--json"]],
        "simulate": fixing + [lambda: ["--from", rng.choice(["naive", "random", "baseline", "nope", f"{node()}={value()}"])],
                              lambda: ["--cells", rng.choice(["0", "-1", "1", "10", "x"])],
                              lambda: ["--steps", rng.choice(["0", "-1", "1", "20", "x"])], lambda: ["--seed", number()],
                              lambda: ["--out", out()], lambda: ["--prefix", rng.choice(["sim", "", "a/b", ".."])],
                              lambda: ["--update", rng.choice(["synchronous", "asynchronous"])]],
        "control": fixing + [lambda: ["--target", rng.choice(["on", "off", "nope", f"{node()}={value()}", ""])],
                             lambda: ["--max-size", rng.choice(["-1", "0", "1", "x"])],
                             lambda: ["--kinds", rng.choice(["ko", "oe", "both", "x"])],
                             lambda: ["--nodes", ",".join(rng.sample(nodes, rng.randint(0, 3)))], lambda: ["--json"]],
        "screen": [lambda: ["--nodes", ",".join(rng.sample(nodes, rng.randint(0, 3)))],
                   lambda: ["--order", rng.choice(["1", "2", "3", "0", "x"])],
                   lambda: ["--kinds", rng.choice(["ko", "oe", "both", "x"])],
                   lambda: ["--conditions", rng.choice(["named", "all", "baseline", "nope", "", "baseline,nope"])],
                   lambda: ["--intervention", iv()], lambda: ["--workers", rng.choice(["0", "-1", "1", "x"])],
                   lambda: ["--out", out()], lambda: ["--max-states", number()], lambda: ["--top", number()],
                   lambda: ["--restart"], lambda: ["--json"]],
        "export": [lambda: ["-o", rng.choice([str(tmp / f"x{e}") for e in (".sbml", ".xml", ".bnet", ".json", ".txt", "")] +
                                             [out() + "/x.sbml"])]],
        "convert": [],
        "graph": [lambda: ["-o", rng.choice([str(tmp / f"g{e}") for e in (".graphml", ".sif", ".dot", ".png")] +
                                            [out() + "/g.dot"])]],
        "info": [],
        "validate": [],
    }
    verb = rng.choice(list(verbs))
    argv = [verb]
    if verb == "convert":
        return [verb, str(model), rng.choice([str(tmp / f"c{e}") for e in (".sbml", ".bnet", ".json", ".txt")] + [out() + "/c.json"])]
    argv.append(rng.choice([str(model)] * 8 + [str(tmp / "missing.bnet"), str(tmp), "nosuchbundled"]))
    if verb in ("simulate", "reach") and rng.random() < 0.8:
        argv += ["--from", "baseline"]
    if verb == "simulate":
        argv += ["--cells", "20", "--steps", "30", "--out", str(tmp / "sim")]
    if verb == "reach" and rng.random() < 0.8:
        argv += ["--to", "on"]
    if verb == "control" and rng.random() < 0.8:
        argv += ["--target", "off", "--max-size", "1"]
    if verb == "screen":
        argv += ["--order", "1", "--workers", "1", "--quiet", "--out", str(tmp / "screen")]
    for _ in range(rng.randint(0, 4)):
        options = verbs[verb]
        if options:
            argv += rng.choice(options)()
    if verb == "screen" and "--workers" in argv[-8:]:
        pass
    return argv
