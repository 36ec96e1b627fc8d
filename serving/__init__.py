"""Running the assistant's processes: the supervisor shared by ``make run`` and the production profile.

- :mod:`serving.paths`        where the repository, the virtualenv and the model are
- :mod:`serving.programs`     the Rasa server and the action server as supervised programs
- :mod:`serving.supervision`  supervisord's configuration and control (start, status, signals, shutdown)
- :mod:`serving.local`        ``make run`` / ``make shell``: one Rasa server and one action server
- :mod:`serving.cluster`      ``make cluster-*``: PostgreSQL, Redis, nginx, several Rasa and action servers
- :mod:`serving.local_servers` both servers on free loopback ports for tests, evaluation, benchmarks and drills
"""
