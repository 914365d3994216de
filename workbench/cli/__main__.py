"""``python -m workbench.cli``: the same program as the ``workbench`` command."""

from . import main

raise SystemExit(main())
