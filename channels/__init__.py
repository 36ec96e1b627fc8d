"""Custom Rasa input channels: the website widget / kiosk pages, socket.io and Telegram.

Registered in ``credentials.yml`` by module path (``channels.web_pages.WebPagesInput`` …). Importing them
changes nothing in Rasa: the patches are installed by ``python -m rasa_patches`` (see :mod:`rasa_patches`).
"""
