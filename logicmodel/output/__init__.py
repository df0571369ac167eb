"""Output: figures (PNG and SVG, written atomically), the main-job report, and model documentation."""
from __future__ import annotations

__all__: list[str] = []
