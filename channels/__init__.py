"""Custom Rasa input channels: the website widget / kiosk pages, socket.io and Telegram.

Registered in ``credentials.yml`` by module path (``channels.web_pages.WebPagesInput`` …).
"""

import runtime_fixes
import speedups

# every `rasa run` loads the channels of credentials.yml before it loads the model or handles a message
runtime_fixes.install()
speedups.install()
