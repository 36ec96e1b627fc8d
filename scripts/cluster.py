"""``make cluster-up|down|status|chaos``: the entry point of :mod:`serving.cluster` (see serving/cluster/cli.py).

Tests and benchmarks that import ``scripts.cluster`` get the package's ``Cluster`` and ``ClusterConfig``.
"""

from __future__ import annotations

import sys

from serving.cluster.cli import main
from serving.cluster.cluster import Cluster
from serving.cluster.config import ClusterConfig, ClusterError
from serving.paths import ROOT

__all__ = ["ROOT", "Cluster", "ClusterConfig", "ClusterError", "main"]

if __name__ == "__main__":
    sys.exit(main())
