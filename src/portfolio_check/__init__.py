"""portfolio-check: local-first gateway checks for apprenticeship portfolios and project reports."""
__version__ = "0.1.0"


def __getattr__(name: str):
    """``portfolio_check.Workbench`` imported on first use (PEP 562): ``portfolio-check --version``
    and ``--help`` never load the parsers, the tagger or pandas."""
    if name == "Workbench":
        from .api import Workbench
        return Workbench
    raise AttributeError(f"module 'portfolio_check' has no attribute {name!r}")


__all__ = ["Workbench", "__version__"]
