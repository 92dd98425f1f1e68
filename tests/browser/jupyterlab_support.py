"""A real JupyterLab for the browser suite: Binder's environment, the generated notebooks.

``JupyterLab`` starts ``jupyter lab`` from ``.venv-binder`` (the venv ``make binder-env``
makes from ``binder/requirements.txt`` and ``binder/postBuild``, as Binder does) on the
loopback interface, with a random token, in a folder of its own that holds copies of the
repository files a student opens (``book/``, ``student/``, ``jupytext.toml``). It is stopped
through its own process (and its kernels, which it started) at the end.

``window.jupyterapp``, which the tests use to wait for the kernel, is there because Binder's
settings expose it (``binder/jupyter/jupyter_lab_config.json``).

``open_in_lab`` opens a notebook in Chromium (every request to another host is blocked and
recorded: a student's JupyterLab must not need the internet), records JavaScript errors and
console errors, runs all cells through JupyterLab's own menu and waits until the kernel has
run every cell.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BINDER_VENV = REPO / ".venv-binder"
STARTUP_TIMEOUT = 60
RUN_ALL_TIMEOUT_MS = 300_000


def binder_problems() -> list[str]:
    """What is missing to start Binder's JupyterLab, with what to do about it."""
    problems = []
    if not (BINDER_VENV / ".installed").is_file() or not (BINDER_VENV / "bin" / "jupyter-lab").exists():
        problems.append(f"Binder's venv {BINDER_VENV} is missing: run `make binder-env`")
    elif not (BINDER_VENV / ".jupyter-settings").is_file():
        problems.append("binder/postBuild has not run in .venv-binder: run `make binder-env`")
    return problems


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLab:
    """``jupyter lab`` of Binder's venv, serving ``root`` on 127.0.0.1 with a token."""

    def __init__(self, root: Path, log: Path):
        self.root = root
        self.token = secrets.token_hex(24)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self.process: subprocess.Popen | None = None

    def start(self) -> "JupyterLab":
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
        env.update({
            "PATH": f"{BINDER_VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}",
            # a user settings folder of its own: what a student sees is Binder's settings only
            "JUPYTERLAB_SETTINGS_DIR": str(self.root.parent / "lab-user-settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(self.root.parent / "lab-workspaces"),
            "JUPYTER_RUNTIME_DIR": str(self.root.parent / "runtime"),
            "JUPYTER_CONFIG_DIR": str(self.root.parent / "config"),
            "NNBOOK_PROGRESS": str(self.root.parent / "progress.json"),
            "NNBOOK_QUIET": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "PYTHONHASHSEED": "0",
        })
        cmd = [str(BINDER_VENV / "bin" / "jupyter-lab"), "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
               "--ServerApp.open_browser=False"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")              # these machines and CI run as root
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(cmd, cwd=self.root, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}: {self.log_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer within {STARTUP_TIMEOUT} s: {self.log_text()[-3000:]}")

    def api(self, path: str, method: str = "GET", body: dict | None = None):
        req = urllib.request.Request(f"{self.url}/api/{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read()
        return json.loads(text) if text else None

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        """Shut the kernels down through the server, then end the server's own process group."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            for kernel in self.api("kernels") or []:
                self.api(f"kernels/{kernel['id']}", "DELETE")
        except OSError:
            pass
        pgid = self.process.pid                     # start_new_session: its own group, led by it
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait(timeout=10)
        try:
            os.killpg(pgid, signal.SIGKILL)         # kernels it started and left behind, if any
        except ProcessLookupError:
            pass
        self.log.close()


def lay_out(workdir: Path, notebooks: list[Path], extra: list[Path] = ()) -> Path:
    """The folder JupyterLab serves: copies of the given repository files at their paths."""
    root = workdir / "home"
    for path in [*notebooks, *extra, REPO / "jupytext.toml"]:
        target = root / path.relative_to(REPO)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return root


@dataclass
class LabPage:
    """A notebook open in JupyterLab, with what went wrong in the browser meanwhile."""

    page: object
    path: str
    errors: list = field(default_factory=list)            # uncaught exceptions
    console_errors: list = field(default_factory=list)    # console.error messages
    external: list = field(default_factory=list)          # blocked requests to other hosts
    requests: list = field(default_factory=list)          # every URL asked for


def open_in_lab(browser, lab: JupyterLab, path: str, viewport=None) -> LabPage:
    """Open ``path`` (relative to the server's root) in JupyterLab, offline, errors recorded."""
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
    page = context.new_page()
    loaded = LabPage(page, path)
    page.on("pageerror", lambda exc: loaded.errors.append(f"{exc.name}: {exc.message}\n{exc.stack or ''}"[:2000]))
    page.on("console", lambda msg: loaded.console_errors.append(msg.text[:2000]) if msg.type == "error" else None)
    page.on("request", lambda req: loaded.requests.append(req.url))

    def external(route):
        loaded.external.append(route.request.url)
        return route.abort("blockedbyclient")

    context.route(re.compile("^(?!" + re.escape(lab.url) + ")(?!data:)(?!blob:)"), external)
    # a workspace of its own: nothing the earlier tests opened is restored next to it
    workspace = f"t{next(_WORKSPACES)}"
    page.goto(f"{lab.url}/lab/workspaces/{workspace}/tree/{path}?token={lab.token}", wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=60_000)
    page.wait_for_function(_OPEN_AND_IDLE, arg=path, timeout=120_000)
    return loaded


_WORKSPACES = itertools.count(1)

# The notebook ``path`` is the current widget, its cells are there, its kernel is idle.
_OPEN_AND_IDLE = """(path) => {
  const w = window.jupyterapp.shell.currentWidget;
  if (!w || !w.context || w.context.path !== path || !w.content || !w.content.widgets.length) return false;
  const k = w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle';
}"""


def run_all(loaded: LabPage) -> float:
    """Run > Run All Cells, as a student does; wait until every code cell has run. Seconds taken."""
    page = loaded.page
    start = time.monotonic()
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^\s*Run\s*$")).click(timeout=10_000)
    page.locator(".lm-Menu-item", has_text=re.compile(r"^\s*Run All Cells")).first.click(timeout=10_000)
    page.wait_for_function(_ALL_RUN, timeout=RUN_ALL_TIMEOUT_MS, polling=500)
    return time.monotonic() - start


# Every code cell has an execution count, none is queued or running, the kernel is idle.
_ALL_RUN = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  if (!w || !w.content) return false;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  if (!k || k.status !== 'idle') return false;
  const cells = w.content.widgets.filter(c => c.model.type === 'code');
  return cells.length > 0 && cells.every(c => typeof c.model.executionCount === 'number'
      && c.promptNode && !c.promptNode.textContent.includes('*'));
}"""
