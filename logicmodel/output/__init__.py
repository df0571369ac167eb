"""Output, one module each (imported on their own): :mod:`.figures` (PNG and SVG, written atomically;
matplotlib is imported when a figure is drawn), :mod:`.graph` (the interaction graph as GraphML, SIF,
DOT), :mod:`.report` (the main job), :mod:`.docs` (model documentation)."""
from __future__ import annotations

__all__: list[str] = []
