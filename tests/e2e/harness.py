"""End-to-end harness: runs fastchat-controller, fastchat-worker(s) and fastchat-server as real
processes on 127.0.0.1 ephemeral ports and talks to them over HTTP (Python 3 standard library
only).

Binaries: FASTCHAT_CONTROLLER_BIN, FASTCHAT_WORKER_BIN, FASTCHAT_SERVER_BIN (run_e2e.py sets
them from CTest's $<TARGET_FILE:...>); default: <repo>/build/bin/... . Shared data:
FASTCHAT_SHARED (a folder holding models/stories260K), default the repository itself.

Every process started here is stopped by PID (SIGTERM, bounded wait, SIGKILL) by Stack.stop(),
at interpreter exit (atexit), on SIGTERM/SIGHUP to the test runner, and - should the runner
itself be SIGKILLed (e.g. a CTest timeout) - by the kernel through PR_SET_PDEATHSIG. Every wait
has a deadline.
"""

import atexit
import ctypes
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[2]
# Reference data: the repository's own (models/), or $FASTCHAT_SHARED's when set.
DATA = Path(os.environ.get("FASTCHAT_SHARED") or REPO).resolve()
MODEL_DIR = DATA / "models" / "stories260K"
MODEL = "stories260K"
CONTEXT_LENGTH = 512

HEARTBEAT_INTERVAL = 0.3  # worker --heart-beat-interval
HEARTBEAT_EXPIRY = 1.5  # controller --heart-beat-expiration

STARTUP_TIMEOUT = 30.0  # "listening on" line, registration, model listed
HTTP_TIMEOUT = 60.0  # per socket operation

DONE = "[DONE]"


def _binary(env_var, relative):
    return os.environ.get(env_var) or str(REPO / "build" / relative)


CONTROLLER_BIN = _binary("FASTCHAT_CONTROLLER_BIN", "bin/fastchat-controller")
WORKER_BIN = _binary("FASTCHAT_WORKER_BIN", "bin/fastchat-worker")
SERVER_BIN = _binary("FASTCHAT_SERVER_BIN", "bin/fastchat-server")


def reference():
    """reference.json's results: prompt, prompt_ids, generated_ids, generated_text (greedy)."""
    with open(MODEL_DIR / "reference.json", encoding="utf-8") as f:
        return json.load(f)["results"]


# ---------------------------------------------------------------------------------------------
# Processes

_live = set()
_live_lock = threading.Lock()
_log_root = None


def _log_dir():
    global _log_root
    if _log_root is None:
        _log_root = Path(tempfile.mkdtemp(prefix="fastchat-e2e-"))
    return _log_root


# Logs of the processes are removed at exit unless FASTCHAT_E2E_KEEP_LOGS=1 or keep_logs()
# was called (run_e2e.py does so when a test failed).
_keep_logs = os.environ.get("FASTCHAT_E2E_KEEP_LOGS") == "1"


def keep_logs():
    global _keep_logs
    _keep_logs = True
    return _log_root


def _stop_all():
    with _live_lock:
        procs = list(_live)
    for proc in procs:
        proc.stop()


def _at_exit():
    _stop_all()
    if _log_root is not None:
        if _keep_logs:
            print(f"fastchat e2e: process logs kept in {_log_root}", file=sys.stderr)
        else:
            shutil.rmtree(_log_root, ignore_errors=True)


atexit.register(_at_exit)


def _on_signal(signum, _frame):
    _stop_all()
    os._exit(128 + signum)


for _sig in (signal.SIGTERM, signal.SIGHUP):
    try:
        signal.signal(_sig, _on_signal)
    except (ValueError, OSError):  # not the main thread
        pass

try:
    _libc = ctypes.CDLL(None, use_errno=True)
except OSError:
    _libc = None
_PR_SET_PDEATHSIG = 1


def _child_setup():
    # The child dies with the test runner even when the runner is SIGKILLed.
    if _libc is not None:
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


class StartupError(RuntimeError):
    pass


class Proc:
    """One child process; stdout and stderr go to a log file (never a pipe that could fill)."""

    _counter = 0

    def __init__(self, name, argv):
        Proc._counter += 1
        self.name = name
        self.argv = [str(a) for a in argv]
        self.log_path = _log_dir() / f"{Proc._counter:02d}-{name}.log"
        self._log = open(self.log_path, "wb")
        self.url = None
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("start processes from the main thread (PR_SET_PDEATHSIG)")
        self.popen = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=self._log,
                                      stderr=subprocess.STDOUT, preexec_fn=_child_setup)
        with _live_lock:
            _live.add(self)

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def log_text(self):
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def log_tail(self, chars=3000):
        return self.log_text()[-chars:]

    def wait_for_log(self, pattern, timeout=STARTUP_TIMEOUT):
        """Waits for a regex in the log; fails at once if the process exits."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            match = regex.search(self.log_text())
            if match:
                return match
            if not self.alive():
                raise StartupError(f"{self.name} exited with {self.popen.returncode} before "
                                   f"/{pattern}/:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise StartupError(f"{self.name}: no /{pattern}/ within {timeout} s:\n"
                                   f"{self.log_tail()}")
            time.sleep(0.02)

    def wait_listening(self, timeout=STARTUP_TIMEOUT):
        match = self.wait_for_log(r"listening on (http://[0-9A-Za-z.\-\[\]:]+)", timeout)
        self.url = match.group(1)
        return self.url

    def kill(self):
        """SIGKILL, then reap (bounded)."""
        if self.alive():
            self.popen.send_signal(signal.SIGKILL)
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self._forget()

    def stop(self, timeout=5.0):
        """SIGTERM, wait, then SIGKILL and wait; always bounded."""
        if self.alive():
            try:
                self.popen.terminate()
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                try:
                    self.popen.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    pass
        self._forget()

    def _forget(self):
        with _live_lock:
            _live.discard(self)
        try:
            self._log.close()
        except OSError:
            pass


class Stack:
    """controller + N workers + server. Use as a context manager or call start()/stop()."""

    def __init__(self, workers=1, model_names=MODEL, worker_args=(), server_args=(),
                 controller_args=(), heart_beat_interval=HEARTBEAT_INTERVAL,
                 heart_beat_expiration=HEARTBEAT_EXPIRY):
        self.num_workers = workers
        self.model_names = model_names
        self.worker_args = list(worker_args)
        self.server_args = list(server_args)
        self.controller_args = list(controller_args)
        self.interval = heart_beat_interval
        self.expiry = heart_beat_expiration
        self.controller = None
        self.server = None
        self.workers = []
        self.servers = []
        self.procs = []

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        try:
            self.start_controller()
            for _ in range(self.num_workers):
                self.start_worker(self.model_names, self.worker_args)
            models = [self.model_names.split(",")[0]] if self.num_workers else []
            self.server = self.start_server(self.server_args, wait_models=models)
            return self
        except BaseException:
            self.stop()
            raise

    def start_controller(self, port=0, timeout=STARTUP_TIMEOUT):
        """Starts a controller and makes it the stack's; `port` (e.g. the one of a controller
        killed before, for a restart) or 0 for any free port. A port just freed by a killed
        process is retried until `timeout` should the bind still fail."""
        deadline = time.monotonic() + timeout
        while True:
            self.controller = self._spawn("controller", [
                CONTROLLER_BIN, "--host", "127.0.0.1", "--port", port,
                "--heart-beat-expiration", self.expiry, *self.controller_args])
            try:
                self.controller.wait_listening(max(0.1, deadline - time.monotonic()))
                return self.controller
            except StartupError:
                if port == 0 or self.controller.alive() or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def kill_controller(self):
        """SIGKILLs the controller (no drain, nothing unregistered); returns its port."""
        port = urlparse(self.controller.url).port
        self.controller.kill()
        return port

    def _spawn(self, name, argv):
        proc = Proc(name, argv)
        self.procs.append(proc)
        return proc

    def start_worker(self, model_names=MODEL, extra_args=(), register=True, model_dir=MODEL_DIR,
                     wait_registered=True):
        """Starts a worker; with register (and wait_registered), returns once it told the
        controller about itself, which it does once its model is loaded. The worker listens
        before it loads, so with wait_registered=False this returns while it may still load."""
        argv = [WORKER_BIN, "--model-path", model_dir, "--host", "127.0.0.1", "--port", "0",
                "--controller-address", self.controller.url,
                "--heart-beat-interval", self.interval, "--model-names", model_names,
                "--threads", "1", *extra_args]
        if not register:
            argv.append("--no-register")
        worker = self._spawn(f"worker-{model_names.replace(',', '+')}", argv)
        worker.wait_listening()
        if register and wait_registered:
            worker.wait_for_log(r"registered " + re.escape(worker.url) + r" with controller")
        self.workers.append(worker)
        return worker

    def kill_worker(self, worker):
        worker.kill()
        if worker in self.workers:
            self.workers.remove(worker)

    def start_server(self, extra_args=(), wait_models=(MODEL,), api_key=None):
        server = self._spawn("server", [
            SERVER_BIN, "--host", "127.0.0.1", "--port", "0",
            "--controller-address", self.controller.url, *extra_args])
        server.wait_listening()
        for model in wait_models:
            wait_model_listed(server.url, model, api_key=api_key, proc=server)
        self.servers.append(server)
        return server

    def stop(self):
        for proc in reversed(self.procs):
            proc.stop()

    def assert_alive(self, controller=True):
        """Raises if the controller or a server died (a crash during the tests)."""
        for proc in [self.controller if controller else None, *self.servers]:
            if proc is not None and not proc.alive():
                raise AssertionError(f"{proc.name} (pid {proc.pid}) died with "
                                     f"{proc.popen.returncode}:\n{proc.log_tail()}")

    def logs(self):
        return "\n".join(f"===== {p.name} ({p.log_path})\n{p.log_tail(2000)}" for p in self.procs)


def wait_until(predicate, timeout, interval=0.05, what="condition"):
    """Polls predicate() until truthy and returns its value; AssertionError at the deadline."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            last = predicate()
        except (OSError, http.client.HTTPException, ValueError) as e:
            last = e
        else:
            if last:
                return last
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what} (last: {last!r})")
        time.sleep(interval)


def wait_model_listed(server_url, model, timeout=STARTUP_TIMEOUT, api_key=None, proc=None):
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else None

    def listed():
        if proc is not None and not proc.alive():
            raise StartupError(f"{proc.name} exited:\n{proc.log_tail()}")
        r = request(server_url, "GET", "/v1/models", headers=headers, timeout=5)
        return r.status == 200 and any(m.get("id") == model for m in r.json().get("data", []))

    return wait_until(listed, timeout, 0.1, f"model {model} on {server_url}/v1/models")


def controller_models(controller_url):
    return request(controller_url, "POST", "/list_models", {}, timeout=5).json()["models"]


# ---------------------------------------------------------------------------------------------
# Prometheus /metrics

PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def scrape(base_url):
    """GET /metrics: (Response, {series: value}) where series is the sample's name and label
    set exactly as written, e.g. 'fastchat_worker_generation_tokens_total{model="stories260K"}'."""
    r = request(base_url, "GET", "/metrics", timeout=10)
    samples = {}
    if r.status == 200:
        for line in r.body.decode("utf-8").splitlines():
            if line and not line.startswith("#"):
                series, _, value = line.rpartition(" ")
                samples[series] = float(value)
    return r, samples


def promtool_check(text):
    """`promtool check metrics` on text: (exit code, output). promtool comes from Debian's
    prometheus package (scripts/install_deps.sh); a missing promtool is an error, not a skip."""
    promtool = os.environ.get("PROMTOOL") or shutil.which("promtool")
    if not promtool:
        raise AssertionError("promtool not found: install Debian's prometheus package "
                             "(scripts/install_deps.sh)")
    done = subprocess.run([promtool, "check", "metrics"], input=text.encode("utf-8"),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    return done.returncode, done.stdout.decode("utf-8", errors="replace")


# ---------------------------------------------------------------------------------------------
# HTTP

class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body

    def header(self, name):
        return self.headers.get(name.lower())

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return f"<Response {self.status} {self.body[:400]!r}>"


def _connect(base_url, timeout):
    u = urlparse(base_url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)


def _encode(body, headers):
    headers = dict(headers or {})
    if body is None:
        return None, headers
    if isinstance(body, (bytes, bytearray)):
        data = bytes(body)
    elif isinstance(body, str):
        data = body.encode("utf-8")
    else:
        data = json.dumps(body).encode("utf-8")
    headers.setdefault("Content-Type", "application/json")
    return data, headers


def request(base_url, method, path, body=None, headers=None, timeout=HTTP_TIMEOUT):
    """One request on a fresh connection; body: dict/list (JSON), str or bytes."""
    data, headers = _encode(body, headers)
    conn = _connect(base_url, timeout)
    try:
        conn.request(method, path, body=data, headers=headers)
        r = conn.getresponse()
        return Response(r.status, r.reason, r.getheaders(), r.read())
    finally:
        conn.close()


def post(base_url, path, body, headers=None, timeout=HTTP_TIMEOUT):
    return request(base_url, "POST", path, body, headers, timeout)


class Stream:
    """A streaming response read incrementally. events() yields parsed SSE data payloads (dicts,
    or DONE); frames() yields NUL-separated JSON frames; lines() yields JSON lines. Each read is
    bounded by the socket timeout and the whole stream by `deadline` seconds."""

    def __init__(self, base_url, path, body, headers=None, timeout=HTTP_TIMEOUT, deadline=120.0):
        data, headers = _encode(body, headers)
        self._conn = _connect(base_url, timeout)
        self._deadline = time.monotonic() + deadline
        self.raw = bytearray()
        try:
            self._conn.request("POST", path, body=data, headers=headers)
            self._resp = self._conn.getresponse()
        except BaseException:
            self._conn.close()
            raise
        self.status = self._resp.status
        self.headers = {k.lower(): v for k, v in self._resp.getheaders()}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        self._conn.close()

    def _check_deadline(self):
        if time.monotonic() > self._deadline:
            raise AssertionError(f"stream still open at its deadline; got so far: "
                                 f"{bytes(self.raw[-600:])!r}")

    def read_all(self):
        body = self._resp.read()
        self.raw += body
        return body

    def error_body(self):
        """The JSON of a non-200 answer (reads the rest of the body if needed)."""
        if not self._resp.isclosed():
            self.read_all()
        return json.loads(bytes(self.raw).decode("utf-8"))

    def lines(self):
        while True:
            self._check_deadline()
            line = self._resp.readline()
            if not line:
                return
            self.raw += line
            yield line

    def events(self):
        """SSE: yields each `data:` payload parsed (DONE for [DONE])."""
        for line in self.lines():
            line = line.rstrip(b"\r\n")
            if not line.startswith(b"data:"):
                continue
            payload = line[5:].strip().decode("utf-8")
            yield DONE if payload == DONE else json.loads(payload)

    def frames(self):
        """FastChat worker stream: JSON frames each followed by a NUL byte."""
        buf = b""
        while True:
            self._check_deadline()
            chunk = self._resp.read1(65536)
            if not chunk:
                break
            self.raw += chunk
            buf += chunk
            *complete, buf = buf.split(b"\0")
            for frame in complete:
                yield json.loads(frame.decode("utf-8"))
        if buf.strip():
            raise AssertionError(f"stream ended inside a frame (no trailing NUL): {buf[:300]!r}")


def sse(base_url, path, body, headers=None, timeout=HTTP_TIMEOUT):
    """Whole SSE request: returns (stream, events); for a non-200 answer events is None and
    stream.error_body() holds the error."""
    with Stream(base_url, path, body, headers, timeout) as s:
        if s.status != 200:
            s.read_all()
            return s, None
        return s, list(s.events())


def nul_frames(base_url, path, body, timeout=HTTP_TIMEOUT):
    """Whole worker stream: (stream, parsed frames)."""
    with Stream(base_url, path, body, timeout=timeout) as s:
        if s.status != 200:
            s.read_all()
            return s, None
        return s, list(s.frames())
