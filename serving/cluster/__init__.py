"""The production profile on this machine (``make cluster-*``): PostgreSQL, Redis, nginx, several Rasa servers
and action servers, all run by one supervisord (:mod:`serving.supervision`) from the cluster folder.

- :mod:`serving.cluster.config`    where everything listens, the limits, the folder (``ClusterConfig``)
- :mod:`serving.cluster.postgres`  PostgreSQL: data folder, ``postgresql.conf``, the database
- :mod:`serving.cluster.redis`     Redis: ``redis.conf``
- :mod:`serving.cluster.nginx`     nginx: ``nginx.conf`` rendered from ``deploy/nginx.conf.template``
- :mod:`serving.cluster.cluster`   ``Cluster``: up (idempotent), down, status, kill and restart one process
- :mod:`serving.cluster.chaos`     ``make cluster-chaos``: fault drills under load, each drill's result
- :mod:`serving.cluster.cli`       the command line (``python -m serving.cluster up|down|status|chaos``)
"""
