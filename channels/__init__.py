"""Custom Rasa input channels: the website widget / kiosk pages, socket.io and Telegram.

Registered in ``credentials.yml`` by module path (``channels.web_pages.WebPagesInput`` …).
"""

import speedups

speedups.install()  # every `rasa run` loads the channels of credentials.yml before it handles a message
