"""Serves the website chat widget, its demo page and the clinic kiosk from the Rasa server itself.

Registered in ``credentials.yml`` as ``channels.web_pages.WebPagesInput``. Routes (same origin as the bot):

- ``/widget/<file>``  the embeddable widget (``widget.js``, ``widget.css``) — may be loaded by other sites
- ``/vendor/<file>``  third-party browser files (``socket.io.min.js`` and its licence)
- ``/chat/``          a demo hospital page that embeds the widget with the one-line snippet
- ``/kiosk/``         the full-screen waiting-room kiosk

Only files under ``web/`` with an allowed extension are served, with a fixed content type, ``nosniff``,
a ``Cache-Control`` header, an ETag and, for HTML pages, a strict Content-Security-Policy. Anything that
resolves outside its folder (``..``, encoded slashes, symlinks out) is a 404.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

WEB_ROOT = Path(__file__).resolve().parents[1] / "web"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}

# Pages may only run their own scripts and styles and talk to their own origin (socket.io long-polling;
# no WebSocket is offered). Citations open cancer.gov in a new tab: navigation, which CSP does not restrict.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors {frame_ancestors}"
)


MAX_NAME_CHARS = 255  # longest file name Linux file systems accept; longer is a 404, not an OSError
MAX_PATH_CHARS = 1024
ROOT_PAGE = "ok"  # what "/" says (a load balancer's health check); Rasa's own names the Rasa version


@dataclass(frozen=True)
class Mount:
    """One URL prefix served from one folder under ``web/``."""

    folder: str
    index: str | None = None  # the file served for the folder URL itself (``/chat/``)
    cross_origin: bool = False  # may other sites load these files (the embeddable widget)?
    kiosk: bool = False


MOUNTS: dict[str, Mount] = {
    "widget": Mount("widget", cross_origin=True),
    "vendor": Mount("vendor", cross_origin=True),
    "chat": Mount("chat", index="index.html"),
    "kiosk": Mount("kiosk", index="index.html", kiosk=True),
}


def resolve_file(root: Path, mount: Mount, relative: str) -> Path | None:
    """The file ``relative`` inside ``root/mount.folder``, or None when it is not a servable file there."""
    folder = (root / mount.folder).resolve()
    if not relative:
        if mount.index is None:
            return None
        relative = mount.index
    if "\\" in relative or "\x00" in relative or len(relative) > MAX_PATH_CHARS:
        return None
    parts = relative.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") or len(part) > MAX_NAME_CHARS for part in parts):
        return None
    try:
        candidate = (folder / relative).resolve()
        if not candidate.is_relative_to(folder) or not candidate.is_file():
            return None
    except (OSError, ValueError):  # a name the file system refuses is a file that is not there
        return None
    if candidate.suffix.lower() not in CONTENT_TYPES:
        return None
    return candidate


def headers_for(path: Path, mount: Mount, etag: str) -> dict[str, str]:
    suffix = path.suffix.lower()
    headers = {
        "Content-Type": CONTENT_TYPES[suffix],
        "X-Content-Type-Options": "nosniff",
        "ETag": etag,
        "Referrer-Policy": "no-referrer" if mount.kiosk else "strict-origin-when-cross-origin",
        # The widget files are meant to be embedded by other sites; the pages are not.
        "Cross-Origin-Resource-Policy": "cross-origin" if mount.cross_origin else "same-origin",
    }
    if suffix == ".html":
        headers["Content-Security-Policy"] = PAGE_CSP.format(frame_ancestors="'none'" if mount.kiosk else "'self'")
        headers["X-Frame-Options"] = "DENY" if mount.kiosk else "SAMEORIGIN"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
        # Pages are small and change with deployments: always revalidate (the ETag makes that cheap).
        headers["Cache-Control"] = "no-store" if mount.kiosk else "no-cache"
    else:
        # Script/style names are not fingerprinted: cache briefly, then revalidate with the ETag.
        headers["Cache-Control"] = "public, max-age=300, must-revalidate"
    return headers


async def root_page(_: Request) -> HTTPResponse:
    return response.text(ROOT_PAGE)


def replace_root_page(app: Sanic) -> None:
    """Answer ``/`` with :data:`ROOT_PAGE` instead of Rasa's "Hello from Rasa: <version>", which tells anyone
    which Rasa release (and so which known vulnerabilities) the server runs. Rasa registers that route
    before any channel, and a channel cannot register the same path again, so its handler is swapped."""
    for route in app.router.routes_all.values():
        if route.path == "" and route.name.endswith(".hello"):
            route.handler = root_page


class WebPagesInput(InputChannel):
    """An input channel that receives no messages: it serves the static web front ends under ``web/``."""

    @classmethod
    def name(cls) -> str:
        return "web_pages"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        root = (credentials or {}).get("root")
        return cls(Path(root) if root else WEB_ROOT)

    def __init__(self, root: Path = WEB_ROOT) -> None:
        self.root = root.resolve()

    def url_prefix(self) -> str:
        # Rasa mounts channels at urljoin("/webhooks/", url_prefix()): "/" puts these routes at the site root.
        return "/"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        pages = Blueprint("web_pages", __name__)
        root = self.root
        cache: dict[Path, tuple[float, bytes, str]] = {}

        def load(path: Path) -> tuple[bytes, str]:
            mtime = path.stat().st_mtime
            cached = cache.get(path)
            if cached is None or cached[0] != mtime:
                body = path.read_bytes()
                cached = (mtime, body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
                cache[path] = cached
            return cached[1], cached[2]

        async def serve(request: Request, prefix: str, relative: str) -> HTTPResponse:
            mount = MOUNTS[prefix]
            path = resolve_file(root, mount, relative)
            if path is None:
                return response.text("Not found", status=404, headers={"X-Content-Type-Options": "nosniff"})
            body, etag = load(path)
            headers = headers_for(path, mount, etag)
            if request.headers.get("if-none-match") == etag:
                return response.empty(status=304, headers={k: v for k, v in headers.items() if k != "Content-Type"})
            # HEAD too: Sanic sends the headers, with this body's Content-Length, and leaves the body out.
            return response.raw(body, headers=headers, content_type=headers["Content-Type"])

        for prefix, mount in MOUNTS.items():
            self._add_routes(pages, prefix, mount, serve)

        @pages.listener("before_server_start")
        async def quiet_root_page(app: Sanic, _: Any) -> None:
            replace_root_page(app)

        logger.info("Web pages: widget demo at /chat/, kiosk at /kiosk/ (files from %s)", root)
        return pages

    @staticmethod
    def _add_routes(
        pages: Blueprint,
        prefix: str,
        mount: Mount,
        serve: Callable[[Request, str, str], Awaitable[HTTPResponse]],
    ) -> None:
        methods = ["GET", "HEAD"]

        async def file(request: Request, path: str) -> HTTPResponse:
            return await serve(request, prefix, path)

        pages.add_route(file, f"/{prefix}/<path:path>", methods=methods, name=f"{prefix}_file")

        if mount.index is not None:

            async def index(request: Request) -> HTTPResponse:
                return await serve(request, prefix, "")

            async def redirect(_: Request) -> HTTPResponse:
                return response.redirect(f"{prefix}/", status=301)  # relative: works behind a path prefix too

            pages.add_route(index, f"/{prefix}/", methods=methods, name=f"{prefix}_index", strict_slashes=True)
            pages.add_route(redirect, f"/{prefix}", methods=methods, name=f"{prefix}_redirect", strict_slashes=True)
