"""A headless Chromium (or Chrome, or Edge) that apr drives to print the PDF.

apr talks to the browser through the DevTools protocol over a pipe (``--remote-debugging-pipe``:
the browser reads commands on its file descriptor 3 and answers on 4, one JSON message per
NUL-terminated line), so no network port is opened and nothing but the standard library is
needed. ``start_browser`` launches it at once and returns; the browser starts up while apr
reads the data and draws the charts, and the first command waits for it.

Every browser gets a fresh temporary profile folder (``--user-data-dir``), removed by
``Browser.close`` with everything in it; ``close`` also ends the process if it does not quit by
itself. The browser runs with TZ=UTC, so the dates it writes into a PDF always have the same
form (see apr/writers/pdf.py, which replaces them).

Without the pipe (on Windows, where Python cannot hand a program file descriptors 3 and 4, or
with ``APR_BROWSER_TRANSPORT=command-line``), ``CommandLineBrowser`` prints each page with a
browser of its own (``--print-to-pdf``): slower, the same PDF.

Finding the browser: ``APR_BROWSER`` (a path to the program) wins; otherwise the first of
chromium, chromium-browser, google-chrome, google-chrome-stable, microsoft-edge and msedge on
the PATH, then the usual install folders of Chrome and Edge on Windows and macOS.
"""
from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BROWSER_VARIABLE = "APR_BROWSER"
TRANSPORT_VARIABLE = "APR_BROWSER_TRANSPORT"
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
         "microsoft-edge", "microsoft-edge-stable", "msedge")
KNOWN_PLACES = (
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-extensions", "--remote-debugging-pipe")
COMMAND_LINE_FLAGS = (*FLAGS[:-1], "--no-pdf-header-footer", "--generate-pdf-document-outline")
TIMEOUT = 120.0       # seconds one command may take (printing the report takes about one)
INSTALL_HINT = ("PDF is printed by a Chromium-based browser (Chromium, Google Chrome or "
                "Microsoft Edge) and none was found; install one (Debian/Ubuntu: sudo apt-get "
                "install chromium; Windows: Microsoft Edge is already installed, or install "
                "Google Chrome; macOS: install Google Chrome), or set the environment variable "
                f"{BROWSER_VARIABLE} to the browser program's full path")


class BrowserError(Exception):
    """The browser could not be started, stopped answering or refused a command."""


def find_browser() -> str | None:
    """Return the path of the browser to print with (None when there is none)."""
    wanted = os.environ.get(BROWSER_VARIABLE, "").strip()
    if wanted:
        found = shutil.which(wanted)
        return found if found and os.access(found, os.X_OK) else None
    for name in NAMES:
        if found := shutil.which(name):
            return found
    return next((p for p in KNOWN_PLACES if os.access(p, os.X_OK)), None)


def browser_missing_message() -> str:
    """Return what to do when no browser is found (naming APR_BROWSER when it is set)."""
    wanted = os.environ.get(BROWSER_VARIABLE, "").strip()
    if wanted:
        return (f"the environment variable {BROWSER_VARIABLE} names '{wanted}', which is not a "
                "program that can be run; correct it to the full path of Chromium, Google "
                f"Chrome or Microsoft Edge, or remove it to let apr look for one")
    return INSTALL_HINT


class Browser:
    """One headless browser process and the pipe to it."""

    def __init__(self, executable: str) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="apr-browser-"))
        self.log = self.profile / "browser-errors.log"
        self.next_id = 0
        self.buffer = b""
        self.executable = executable
        self.closing: threading.Thread | None = None
        try:
            self._launch(executable)
        except OSError as exc:
            shutil.rmtree(self.profile, ignore_errors=True)
            raise BrowserError(f"could not start the browser {executable}: {exc}") from exc

    def _launch(self, executable: str) -> None:
        browser_in, to_browser = os.pipe()       # apr writes commands, the browser reads fd 3
        from_browser, browser_out = os.pipe()    # the browser writes answers on fd 4
        env = dict(os.environ, TZ="UTC")
        args = [executable, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env,
                pass_fds=(3, 4), preexec_fn=lambda: _as_fd3_fd4(browser_in, browser_out))
        os.close(browser_in)
        os.close(browser_out)
        self.writer, self.reader = to_browser, from_browser
        self.closed = False

    # -- the protocol ---------------------------------------------------------------------
    def call(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = TIMEOUT, meanwhile=None) -> dict:
        """Send one command and return its result; BrowserError if it failed or timed out.
        ``meanwhile`` (a function) runs while the browser works on the command."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._send(json.dumps(message).encode("utf-8") + b"\0")
        if meanwhile is not None:
            meanwhile()
        deadline = time.monotonic() + timeout
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError(f"the browser refused {method}: "
                                       f"{reply['error'].get('message', reply['error'])}")
                return reply.get("result", {})

    def wait_for(self, event: str, session: str, timeout: float = TIMEOUT) -> dict:
        """Return the next ``event`` of a page (for example Page.loadEventFired)."""
        deadline = time.monotonic() + timeout
        while True:
            message = self._receive(deadline)
            if message.get("method") == event and message.get("sessionId") == session:
                return message.get("params", {})

    def _send(self, data: bytes) -> None:
        try:
            while data:
                data = data[os.write(self.writer, data):]
        except OSError as exc:
            raise BrowserError(f"the browser stopped unexpectedly ({exc.strerror or exc})"
                               f"{self._log_tail()}") from exc

    def _receive(self, deadline: float) -> dict:
        while b"\0" not in self.buffer:
            self._read_more(deadline)
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def _read_more(self, deadline: float) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self.reader, selectors.EVENT_READ)
            if not selector.select(max(0.0, deadline - time.monotonic())):
                raise BrowserError(f"the browser did not answer within {TIMEOUT:.0f} seconds")
        chunk = os.read(self.reader, 1 << 20)
        if not chunk:
            raise BrowserError(f"the browser stopped unexpectedly{self._log_tail()}")
        self.buffer += chunk

    def _log_tail(self) -> str:
        try:
            lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        return "; it said: " + " | ".join(lines[-3:]) if lines else ""

    # -- pages ----------------------------------------------------------------------------
    def open_page(self, html: str) -> Page:
        """Return a new tab showing ``html`` (written to the profile folder), fully loaded."""
        path = self.profile / "report.html"
        path.write_text(html, encoding="utf-8")
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget",
                            {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=session)
        self.call("Page.navigate", {"url": path.as_uri()}, session=session)
        self.wait_for("Page.loadEventFired", session)
        return Page(self, session)

    def close_in_background(self) -> None:
        """Start quitting the browser while apr carries on (it takes about half a second);
        ``close`` waits for it to be done."""
        if self.closing is None and not self.closed:
            self.closing = threading.Thread(target=self._quit, daemon=True)
            self.closing.start()

    def close(self) -> None:
        """Quit the browser (ending it if it does not quit) and remove its profile folder."""
        if self.closing is not None:
            self.closing.join()
        self._quit()

    def _quit(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self.call("Browser.close", timeout=5)
        except BrowserError:
            pass
        for fd in (self.writer, self.reader):
            os.close(fd)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    """One tab of the browser."""

    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session

    def evaluate(self, script: str) -> object:
        """Run JavaScript in the page (awaiting a promise) and return its value."""
        result = self.browser.call("Runtime.evaluate", {
            "expression": script, "awaitPromise": True, "returnByValue": True}, self.session)
        if "exceptionDetails" in result:
            raise BrowserError(f"a script in the page failed: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def print_pdf(self, tagged: bool, meanwhile=None) -> bytes:
        """Return the page printed as PDF, page size and margins from its CSS ``@page``;
        ``meanwhile`` runs while it prints."""
        import base64
        result = self.browser.call("Page.printToPDF", {
            "printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": False,
            "generateTaggedPDF": tagged, "generateDocumentOutline": tagged}, self.session,
            meanwhile=meanwhile)
        return base64.b64decode(result["data"])


def _as_fd3_fd4(read_end: int, write_end: int) -> None:
    """In the child before exec: put the pipe ends where the browser looks for them (copied
    first, so that neither can be overwritten by the other's move)."""
    read_copy, write_copy = os.dup(read_end), os.dup(write_end)
    os.dup2(read_copy, 3)
    os.dup2(write_copy, 4)


class CommandLineBrowser:
    """A browser started for each print (``--print-to-pdf``), where the pipe cannot be used."""

    def __init__(self, executable: str) -> None:
        self.executable = executable

    def print_html(self, html: str) -> bytes:
        """Return ``html`` printed as a tagged PDF with bookmarks, by a browser of its own
        in a temporary folder removed afterwards."""
        folder = Path(tempfile.mkdtemp(prefix="apr-browser-"))
        try:
            page, pdf = folder / "report.html", folder / "report.pdf"
            page.write_text(html, encoding="utf-8")
            args = [self.executable, *COMMAND_LINE_FLAGS, f"--user-data-dir={folder / 'p'}",
                    f"--print-to-pdf={pdf}", page.as_uri()]
            run = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True,
                                 env=dict(os.environ, TZ="UTC"), timeout=TIMEOUT)
            if not pdf.is_file() or pdf.stat().st_size == 0:
                said = run.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
                raise BrowserError(f"the browser printed nothing (exit {run.returncode}); "
                                   f"it said: {' | '.join(said)}")
            return pdf.read_bytes()
        except subprocess.TimeoutExpired as exc:
            raise BrowserError(f"the browser did not finish within {TIMEOUT:.0f} s") from exc
        except OSError as exc:
            raise BrowserError(f"could not start the browser {self.executable}: {exc}") from exc
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def close_in_background(self) -> None:
        """Nothing to do: each print's browser has quit."""

    def close(self) -> None:
        """Nothing to do: each print's browser has quit."""


def start_browser() -> Browser | CommandLineBrowser | None:
    """Start the browser now and return it (None when none is found)."""
    executable = find_browser()
    if executable is None:
        return None
    if sys.platform == "win32" or os.environ.get(TRANSPORT_VARIABLE) == "command-line":
        return CommandLineBrowser(executable)
    return Browser(executable)
