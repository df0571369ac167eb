"""A generated corpus for the attractor benchmark: the shapes published models take that strain a tool.

- ``inputs_k<k>_core<c>``: ``k`` free inputs over a small core of ``c`` nodes (2**k input combinations,
  one or more attractors each);
- ``dnf_n<n>``: rules written as the disjunction of the prime implicants of a random function of up to
  12 regulators (thousands of terms), as exporters from prime implicants write them;
- ``oscillator_n<n>``: a negative feedback loop driving a large downstream cascade with a few positive
  loops of its own: no inputs, one large cyclic attractor or a few;
- ``random_n<n>``: sparse random networks with nested canalising rules, no inputs (N = 20 ... 200).

Every model comes from a fixed seed, so the corpus is the same on every machine.

    python benchmarks/generated.py OUT_DIR           # write the corpus as .bnet files
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent


def _literal(rng: random.Random, name: str, p_negative: float = 0.35) -> str:
    return ("!" if rng.random() < p_negative else "") + name


def _canalising(rng: random.Random, regs: list[str]) -> str:
    """A nested canalising rule: ``a | (b & (c | ...))`` with random signs and operators."""
    text = _literal(rng, regs[-1])
    for r in reversed(regs[:-1]):
        op = "&" if rng.random() < 0.5 else "|"
        text = f"{_literal(rng, r)} {op} ({text})"
    return text


def many_inputs(k: int, core: int, seed: int) -> str:
    """``k`` inputs, each regulating one or two core nodes; the core has 2-3 regulators per node."""
    rng = random.Random(seed)
    inputs = [f"u{i}" for i in range(k)]
    nodes = [f"c{i}" for i in range(core)]
    regs: dict[str, list[str]] = {n: rng.sample(nodes, min(len(nodes), rng.randint(1, 2))) for n in nodes}
    for i, u in enumerate(inputs):
        for target in {nodes[i % core], rng.choice(nodes)}:
            regs[target].append(u)
    lines = [f"{u}, {u}" for u in inputs]
    lines += [f"{n}, {_canalising(rng, regs[n])}" for n in nodes]
    return "\n".join(lines) + "\n"


def dnf_rules(n: int, seed: int, inputs: int = 3) -> str:
    """``n`` nodes; every fourth rule is the prime-implicant DNF of a random function of 8-12 regulators."""
    sys.path.insert(0, str(ROOT))
    import numpy as np

    from logicmodel.model.implicants import prime_implicants

    rng = random.Random(seed)
    nodes = [f"x{i}" for i in range(n)]
    lines = [f"{x}, {x}" for x in nodes[:inputs]]
    for i, x in enumerate(nodes[inputs:], start=inputs):
        if i % 4 == 0:
            regs = rng.sample(nodes, min(n, rng.randint(8, 12)))
            table = np.array([rng.random() < 0.5 for _ in range(1 << len(regs))])
            _, ones = prime_implicants(table, regs)
            rule = " | ".join(" & ".join(("" if v else "!") + r for r, v in p.items()) for p in ones) or "0"
        else:
            rule = _canalising(rng, rng.sample(nodes, rng.randint(1, 3)))
        lines.append(f"{x}, {rule}")
    return "\n".join(lines) + "\n"


def oscillator(n: int, seed: int) -> str:
    """A three-node negative loop (an oscillator) feeding a cascade of ``n - 3`` nodes, each regulated by
    one to three upstream nodes, with a positive loop every ten nodes."""
    rng = random.Random(seed)
    lines = ["o0, !o2", "o1, o0", "o2, o1"]
    done = ["o0", "o1", "o2"]
    for i in range(n - 3):
        name = f"d{i}"
        regs = rng.sample(done, min(len(done), rng.randint(1, 3)))
        if i % 10 == 9:
            regs.append(name)  # a positive self-loop: two attractors downstream
        lines.append(f"{name}, {_canalising(rng, regs)}")
        done.append(name)
    return "\n".join(lines) + "\n"


def random_network(n: int, seed: int) -> str:
    """``n`` nodes, each with one to three random regulators (any node), nested canalising rules."""
    rng = random.Random(seed)
    nodes = [f"r{i}" for i in range(n)]
    lines = [f"{x}, {_canalising(rng, rng.sample(nodes, rng.randint(1, 3)))}" for x in nodes]
    return "\n".join(lines) + "\n"


def corpus() -> dict[str, str]:
    """Model name → bnet text, the whole generated corpus."""
    out: dict[str, str] = {}
    for k, core in ((13, 8), (14, 10), (15, 8), (15, 12), (17, 10), (19, 8)):
        out[f"inputs_k{k}_core{core}"] = many_inputs(k, core, seed=k * 100 + core)
    for n in (20, 40):
        out[f"dnf_n{n}"] = dnf_rules(n, seed=n)
    for n in (20, 50, 100, 200):
        out[f"oscillator_n{n}"] = oscillator(n, seed=n)
    for n in (20, 30, 40):
        out[f"random_n{n}"] = random_network(n, seed=n)
    return out


def write_corpus(directory: Path) -> list[Path]:
    """Write every generated model to ``directory`` as ``<name>.bnet``; the paths, in corpus order."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in corpus().items():
        path = directory / f"{name}.bnet"
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="directory to write the .bnet files to")
    args = parser.parse_args()
    for path in write_corpus(args.out):
        print(path)


if __name__ == "__main__":
    main()
