"""logicmodel: Boolean models of RANKL–RANK–OPG control of bone resorption.

The whole workflow in five lines:

>>> import logicmodel as lm
>>> model = lm.load_model("osteoclastogenesis")          # bundled model (rules + metadata)
>>> menopause = model.metadata.condition("estrogen_deficiency").values
>>> res = lm.attractors(model.network, "asynchronous", menopause)
>>> [(att.size, model.phenotype_of(att)) for att in res]
[(1, 'resorbing')]

Plain networks work the same: ``net = lm.read_bnet("my.bnet"); lm.attractors(net)``.
"""
from __future__ import annotations

import logging

from .attractors import DEFAULT_MAX_STATES, Attractor, AttractorResult, attractors, fixed_points
from .dynamics import UPDATE_MODES, state_transition_graph, successors
from .families import AttractorFamilies, AttractorFamily, attractor_families
from .errors import (
    FormatError,
    LogicModelError,
    MetadataError,
    PerturbationError,
    RuleParseError,
    StateSpaceTooLargeError,
    UnknownNodeError,
)
from .io import (
    from_bnet,
    from_primes,
    from_sbml_qual,
    read_bnet,
    read_primes,
    read_sbml_qual,
    to_bnet,
    to_primes,
    to_sbml_qual,
    write_bnet,
    write_network,
    write_primes,
    write_sbml_qual,
)
from .model import Model, bundled_models, load_model
from .network import Edge, Network

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "Attractor",
    "AttractorResult",
    "DEFAULT_MAX_STATES",
    "Edge",
    "FormatError",
    "LogicModelError",
    "MetadataError",
    "Model",
    "AttractorFamilies",
    "AttractorFamily",
    "Network",
    "PerturbationError",
    "RuleParseError",
    "StateSpaceTooLargeError",
    "UPDATE_MODES",
    "UnknownNodeError",
    "attractor_families",
    "attractors",
    "bundled_models",
    "fixed_points",
    "from_bnet",
    "from_primes",
    "from_sbml_qual",
    "load_model",
    "read_bnet",
    "read_primes",
    "read_sbml_qual",
    "state_transition_graph",
    "successors",
    "to_bnet",
    "to_primes",
    "to_sbml_qual",
    "write_bnet",
    "write_network",
    "write_primes",
    "write_sbml_qual",
]
