"""``make chaos``: fault drills and a bad-input fuzz against the real servers (issue 17).

:mod:`chaos.servers` starts the action server, the Rasa server (REST, socket.io, pages, Telegram against the
local Bot API stand-in) and lets a drill kill, stop or restart them; :mod:`chaos.drills` holds the fault
drills, :mod:`chaos.fuzz` the bad-input fuzz, :mod:`chaos.runner` runs them and prints one line per drill.
``scripts/chaos.py`` is the entry point.
"""
