"""civic: a civic-personnel suite for organization departments."""

from civic.hookspecs import hookimpl, hookspec

__version__ = "0.1.0"
__all__ = ["hookimpl", "hookspec", "__version__"]
