"""The curated models bundled with logicmodel (rules as .bnet, metadata as .toml)."""
