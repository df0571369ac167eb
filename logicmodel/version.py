"""The version of logicmodel."""

__version__ = "0.1.0"
