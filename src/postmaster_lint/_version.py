# The single source of the version (pyproject.toml reads it; importing it is free, unlike
# importlib.metadata, which costs ~40 ms of start-up).
__version__ = "0.1.0"
