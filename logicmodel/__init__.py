"""logicmodel: Boolean models of RANKL–RANK–OPG control of bone resorption, and a toolkit for any logical model.

The whole workflow in five lines:

>>> import logicmodel as lm
>>> model = lm.load_model("osteoclastogenesis")          # bundled model (rules + metadata)
>>> menopause = model.metadata.condition("estrogen_deficiency").values
>>> res = lm.attractors(model.network, "asynchronous", menopause)
>>> [(att.size, model.phenotype_of(att)) for att in res]
[(1, 'resorbing')]

Plain networks work the same: ``net = lm.read_bnet("my.bnet"); lm.attractors(net)``.

The package, upstream to downstream (nothing imports upward): ``errors``; ``model`` (rules,
network, metadata, phenotypes, perturbations, bundled models); ``io`` (bnet, SBML-qual, primes);
``engine`` (kernels, percolation, bit sets, graphs); ``dynamics`` (update modes); ``search``
(attractors: the chooser and the exact methods); ``analysis`` (landscape, conditions, perturbations,
validation); ``output`` (figures, report, documentation); ``screen``; ``cli``. The names below are
imported on first use, so ``import logicmodel`` is cheap.
"""
from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from .version import __version__
from .errors import (FormatError, InvalidChoiceError, LogicModelError, MetadataError, PerturbationError,
                     RuleParseError, SearchIncompleteError, StateSpaceTooLargeError, TooLargeToListError,
                     UnknownNodeError)

if TYPE_CHECKING:
    from .search import (DEFAULT_MAX_STATES, Attractor, AttractorFamilies, AttractorFamily, AttractorResult,
                         TrapSpace, TrapSpaceResult, attractor_families, attractors, fixed_points, trap_spaces)
    from .dynamics import UPDATE_MODES, state_transition_graph, successors
    from .io import (from_bnet, from_primes, from_sbml_qual, load_model, read_bnet, read_network, read_primes,
                     read_sbml_qual, to_bnet, to_primes, to_sbml_qual, write_bnet, write_network, write_primes,
                     write_sbml_qual)
    from .model import Edge, Model, Network, bundled_models

logging.getLogger(__name__).addHandler(logging.NullHandler())

#: Public name → the module that defines it (imported on first use).
_LAZY = {
    **{n: "search" for n in ("Attractor", "AttractorResult", "AttractorFamilies", "AttractorFamily",
                             "DEFAULT_MAX_STATES", "attractor_families", "attractors", "fixed_points", "trap_spaces",
                             "TrapSpace", "TrapSpaceResult")},
    **{n: "dynamics" for n in ("UPDATE_MODES", "state_transition_graph", "successors")},
    **{n: "io" for n in ("from_bnet", "from_primes", "from_sbml_qual", "load_model", "read_bnet", "read_network",
                         "read_primes", "read_sbml_qual", "to_bnet", "to_primes", "to_sbml_qual", "write_bnet",
                         "write_network", "write_primes", "write_sbml_qual")},
    **{n: "model" for n in ("Edge", "Model", "Network", "bundled_models")},
}

__all__ = sorted([*_LAZY, "__version__", "FormatError", "InvalidChoiceError", "LogicModelError", "MetadataError",
                  "PerturbationError", "RuleParseError", "SearchIncompleteError", "StateSpaceTooLargeError",
                  "TooLargeToListError", "UnknownNodeError"])


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'logicmodel' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
