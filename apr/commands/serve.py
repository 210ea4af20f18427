"""``apr serve``: build the HTML report, serve it on this computer, rebuild and reload on change.

The single page is served at ``/`` and the website (``--format site``) at ``/site/``, built
together; every page of both carries the reload script.

The page served carries a small script that asks ``/__version`` every second and reloads when a
rebuild has happened; the HTML file written to the output folder never contains it.  A build
error replaces the page with the list of problems, and the server keeps running.
"""
from __future__ import annotations

import html
import sys
import threading
import traceback
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click

from ..findings import AprError
from . import checked_year

HOST = "127.0.0.1"
WATCHED_FOLDERS = ("data", "content", "templates", "styles")
SITE_PREFIX = "/site/"
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".png": "image/png", ".jpg": "image/jpeg", ".svg": "image/svg+xml"}
WATCHED_FILES = ("apr.toml",)
RELOAD_SCRIPT = """<script>
(function () {  /* apr serve: reload when the report is rebuilt (not in the built file) */
  var version = "%s";
  setInterval(function () {
    fetch("/__version", {cache: "no-store"}).then(function (r) { return r.text(); })
      .then(function (v) { if (v.trim() !== version) { location.reload(); } })
      .catch(function () {});
  }, 1000);
})();
</script>"""
ERROR_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>apr: the report did not build</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
pre{white-space:pre-wrap;background:#fdf2f2;border-left:4px solid #b00020;padding:1rem}</style>
</head><body><main><h1>The report did not build</h1>
<p>Correct the problems below and save the file: this page reloads by itself.</p>
<pre>%s</pre></main></body></html>"""


class Preview:
    """The latest build of one project's report, rebuilt on demand; thread-safe."""

    def __init__(self, project: Path, year: int, echo=None):
        self.project, self.year = project, year
        self.echo = echo or (lambda text: click.echo(text, err=True))
        self.version = 0
        self.page = b""
        self.site: dict[str, bytes] = {}     # the website's files, by path inside its folder
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self.server: ThreadingHTTPServer | None = None
        self.watcher: threading.Thread | None = None

    def rebuild(self) -> None:
        """Build the HTML report and make it the page served (or the error page)."""
        page, site = self._build()
        with self.lock:
            self.version += 1
            self.page = inject_reload(page, self.version)
            self.site = {name: inject_reload(data.decode("utf-8"), self.version)
                         if name.endswith(".html") else data for name, data in site.items()}

    def _build(self) -> tuple[str, dict[str, bytes]]:
        """Return the page and the website's files (the error page and none on failure)."""
        from ..pipeline import build
        try:
            result = build(self.project, self.year, ("html", "site"))
        except AprError as exc:
            text = "\n".join(str(f) for f in exc.findings)
            self.echo(f"{text}\napr serve: the report did not build; the page shows why")
            return ERROR_PAGE % html.escape(text), {}
        except Exception:  # a bug in apr: show it and keep serving
            text = traceback.format_exc()
            self.echo(text)
            return ERROR_PAGE % html.escape(text), {}
        for finding in result.findings:
            self.echo(str(finding))
        self.echo(f"apr serve: built {len(result.findings.warnings)} warning(s)")
        folder = result.outputs[1]
        site = {p.relative_to(folder).as_posix(): p.read_bytes()
                for p in folder.rglob("*") if p.is_file()}
        return result.outputs[0].read_text(encoding="utf-8"), site

    def site_file(self, name: str) -> bytes | None:
        """Return a file of the website as served (None when there is none of that name)."""
        with self.lock:
            if not self.site and name in ("", "index.html"):
                return self.page          # the build failed: the error page
            return self.site.get(name or "index.html")

    def current(self) -> tuple[int, bytes]:
        """Return the version number and the page bytes now served."""
        with self.lock:
            return self.version, self.page

    def start(self, port: int = 0) -> str:
        """Build, start the server and the watcher in threads; return the page's address."""
        self.rebuild()
        self.server = ThreadingHTTPServer((HOST, port), partial(PreviewHandler, self))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.watcher = threading.Thread(target=self.watch, daemon=True)
        self.watcher.start()
        return f"http://{HOST}:{self.server.server_address[1]}/"

    def watch(self) -> None:
        """Rebuild whenever a watched file changes, until stop() is called."""
        from watchfiles import watch
        for changes in watch(self.project, watch_filter=partial(is_watched, self.project),
                             stop_event=self.stop_event):
            names = sorted({Path(p).name for _, p in changes})
            self.echo(f"apr serve: {', '.join(names)} changed; rebuilding")
            self.rebuild()

    def stop(self) -> None:
        """Stop the watcher and the server; a rebuild under way finishes first, so that it
        never leaves a temporary file in the output folder."""
        self.stop_event.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        if self.watcher is not None and self.watcher is not threading.current_thread():
            self.watcher.join(timeout=120)


def inject_reload(page: str, version: int) -> bytes:
    """Return PAGE with the reload script before </body> (or at the end)."""
    script = RELOAD_SCRIPT % version
    at = page.lower().rfind("</body>")
    page = page + script if at < 0 else page[:at] + script + page[at:]
    return page.encode("utf-8")


def is_watched(project: Path, change, path: str) -> bool:
    """True for apr.toml and files under data/, content/ and templates/ (not editor temp files)."""
    try:
        rel = Path(path).resolve().relative_to(project.resolve())
    except ValueError:
        return False
    name = rel.name
    if name.startswith((".", "~$")) or name.endswith(("~", ".swp", ".tmp")):
        return False
    return rel.as_posix() in WATCHED_FILES or (len(rel.parts) > 1
                                               and rel.parts[0] in WATCHED_FOLDERS)


class PreviewHandler(BaseHTTPRequestHandler):
    """Serves the page at / and the build number at /__version."""

    def __init__(self, preview: Preview, *args, **kwargs):
        self.preview = preview
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if not self._host_allowed():
            # DNS rebinding: a web page elsewhere can point its own name at 127.0.0.1 and read
            # what is served here; its requests carry its name in Host, so they are refused
            self._send(421, "text/plain; charset=utf-8",
                       b"apr serve answers only requests to the address it serves")
            return
        version, page = self.preview.current()
        path = self.path.split("?")[0]
        if path == "/__version":
            self._send(200, "text/plain; charset=utf-8", str(version).encode())
        elif path in ("/", "/index.html"):
            self._send(200, "text/html; charset=utf-8", page)
        elif path.startswith(SITE_PREFIX) or path == SITE_PREFIX.rstrip("/"):
            self._send_site(path[len(SITE_PREFIX):])
        else:
            self._send(404, "text/plain; charset=utf-8",
                       b"apr serve shows the report at / and the website at /site/")

    def _send_site(self, name: str) -> None:
        data = self.preview.site_file(name)
        kind = TYPES.get(Path(name or "index.html").suffix.lower())
        if data is None or kind is None:
            self._send(404, "text/plain; charset=utf-8", b"no such page in the website")
        else:
            self._send(200, kind, data)

    def _host_allowed(self) -> bool:
        """True if the request's Host header is the address served: 127.0.0.1 or localhost,
        on the port served."""
        port = self.server.server_address[1]
        host = (self.headers.get("Host") or "").strip().lower()
        return host in (f"{HOST}:{port}", f"localhost:{port}") or \
            (port == 80 and host in (HOST, "localhost"))

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # quiet: one line per poll is noise
        pass


@click.command()
@click.option("--year", required=True, callback=checked_year,
              help="Reporting year, by the calendar year it starts in: 2023 means 2023/24.")
@click.option("--project", "project", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default="the current folder",
              help="The partnership project folder (the one holding apr.toml).")
@click.option("--port", type=int, default=8000, show_default=True,
              help="Port on this computer to serve on; 0 picks a free one.")
def serve(year: int, project: Path, port: int) -> None:
    """Preview the HTML report in a browser, rebuilt whenever you save a file.

    Serves the report at http://127.0.0.1:PORT/ and the website (one page per section) at
    http://127.0.0.1:PORT/site/ (this computer only), and watches data/, content/, templates/,
    styles/ and apr.toml: after each change the report is rebuilt and the page
    reloads by itself. If the build fails the page lists the problems instead. Ctrl+C stops.
    """
    preview = Preview(project, year)
    try:
        url = preview.start(port)
    except OSError as exc:
        click.echo(f"apr: cannot serve on port {port}: {exc.strerror}; choose another with "
                   "--port, or --port 0 for any free port.", err=True)
        sys.exit(1)
    click.echo(f"serving {url} and the website at {url}site/ (watching data/, content/, "
               "templates/, styles/ and apr.toml; Ctrl+C stops)")
    try:
        preview.stop_event.wait()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        preview.stop()
