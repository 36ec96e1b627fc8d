"""``python -m serving.cluster``: see :mod:`serving.cluster.cli`."""

import sys

from serving.cluster.cli import main

sys.exit(main())
