"""portfolio-check: local-first gateway checks for apprenticeship portfolios and project reports."""
__version__ = "0.1.0"

from .api import Workbench  # noqa: E402,F401

__all__ = ["Workbench", "__version__"]
