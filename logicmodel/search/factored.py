"""The factored method (asynchronous): strongly connected blocks upstream first, attractors as exact products.

The free nodes are split into the strongly connected components of their interaction graph and
processed upstream first. For an attractor ``A`` of the nodes processed so far and the next block
``B``, the block sees its regulators move freely within the projection ``P`` of ``A`` (``A`` is
strongly connected and does not depend on ``B``), so the attractors over the processed nodes and
``B`` are exactly ``A × C`` for the terminal SCCs ``C`` of the graph on ``2**|B|`` where a node of
``B`` can flip when it can under some input of ``P``. Attractors too large to list (downstream
nodes driven by an oscillation) stay exact: pyboolnet's ``klamt_tcr`` has one of 133,143,986,176
states, found in milliseconds.

Examples
--------
>>> from logicmodel import from_bnet
>>> from logicmodel.search.factored import factored_attractors
>>> net = from_bnet("A, !B\\nB, A\\nC, A")   # C follows the oscillation of A: 4 × 2 states
>>> [p.size for p in factored_attractors(net, {})]
[8]
"""
from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np

from ..engine.bitset import space_for, unique_rows
from ..engine.graphs import blocks_upstream_first, terminal_sccs
from ..engine.kernels import States
from ..model.network import Network
from ..model.rules import evaluate_bits
from .choose import FACTORED_MAX_BLOCK, FACTORED_MAX_PROJECTION
from .stores import ProductStore

__all__ = ["factored_attractors"]

Factor = tuple[tuple[int, ...], States]


def factored_attractors(network: Network, values: Mapping[int, int], *, max_block: int = FACTORED_MAX_BLOCK,
                        max_projection: int = FACTORED_MAX_PROJECTION,
                        blocks: tuple[list[list[int]], dict[int, list[int]]] | None = None) -> list[ProductStore] | None:
    """Every asynchronous attractor of the percolated subspace ``values``, as products of factors.

    Returns ``None`` (the method declines) when a block has more than ``max_block`` nodes or when
    a projection has more than ``max_projection`` values; the caller then uses another method.
    ``blocks`` may pass :func:`~logicmodel.engine.graphs.blocks_upstream_first` already computed.
    """
    order, regs = blocks if blocks is not None else blocks_upstream_first(network, values)
    if order and max(len(b) for b in order) > max_block:
        return None
    fixed_names = {network.nodes[i]: bool(v) for i, v in values.items()}
    products: list[list[Factor]] = [[]]
    for block in order:
        k = len(block)
        sp = space_for(k)
        bits = [k - 1 - j for j in range(k)]
        var = {network.nodes[i]: sp.bit_set(b) for i, b in zip(block, bits)}
        ones, zeros = sp.full(), sp.empty()
        external = sorted({r for i in block for r in regs[i] if r not in values and r not in block})
        new_products = []
        for product in products:
            # the projection of the product onto the block's external regulators
            parts = []
            for idx, states in product:
                cols = [c for c, node in enumerate(idx) if node in external]
                if cols:
                    parts.append(([idx[c] for c in cols], unique_rows(states[:, cols])))
            n_inputs = 1
            for _, proj in parts:
                n_inputs *= len(proj)
            if n_inputs > max_projection:
                return None
            flips = [sp.empty() for _ in range(k)]
            for combo in itertools.product(*(range(len(proj)) for _, proj in parts)):
                constants = dict(fixed_names)
                for (nodes, proj), c in zip(parts, combo):
                    constants.update({network.nodes[n]: bool(v) for n, v in zip(nodes, proj[c])})
                for j, i in enumerate(block):
                    value = evaluate_bits(network.rules[i], var, ones, zeros, constants)
                    flips[j] = flips[j] | (value ^ sp.bit_set(bits[j]))
            for comp in terminal_sccs(sp, flips, bits):
                states = ((comp[:, None] >> np.array(bits, dtype=np.int64)[None, :]) & 1).astype(np.uint8)
                new_products.append(product + [(tuple(block), states)])
        products = new_products
    return [ProductStore(network, values, product) for product in products]
