"""``python -m portfolio_check``: the same CLI as the ``portfolio-check`` script."""
import sys

from .cli import main

sys.exit(main())
