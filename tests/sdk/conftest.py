"""Conformance suite: the official cloud SDKs, unmodified, against a running Export Desk mock.

The suite starts the server itself (`target/release/export-desk`, or the binary `EXPORT_DESK_BIN`
names) on a free loopback port, once per mode (see below). The SDK clients are built as the API
reference's "pointing the official SDKs at a custom endpoint" section shows: throwaway credentials,
the mock as the only endpoint, no region (a region would add the real cloud as a fallback endpoint
and, without an account id, make the builder call IAM). Every test starts from a reset mock, so it
sees only its own tasks. A second mock with `--fail-rate 1` serves the failure paths.

The whole suite runs twice, once per mode of the `mode` fixture: against a plain mock, which ignores
signatures, and against a strict one (`--verify-signatures` with the suite's credentials), which
checks every call's signature as the clouds' gateways do. The SDKs' signatures are real, so in strict
mode every test also proves that the mock accepts exactly what the official SDKs sign. Test ids end
in `[plain]` or `[strict]`; `-k 'not plain'` runs the strict mode alone.

The mock's admin API (`/_mock/…`) moves its clock and injects faults, through plain urllib so that no
SDK code is involved in steering the mock.
"""

import contextlib
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEFAULT_BINARY = REPO / "target" / "release" / "export-desk"
LISTENING = "Export Desk (mock) listening on "
# --task-duration of the mock under test; every task settles within 1.25 times this.
TASK_DURATION_S = 2
SETTLE_S = TASK_DURATION_S * 1.25 + 0.5

# The SDKs pick proxies from the environment (the Tencent SDK matches NO_PROXY against "host:port" by
# substring, so NO_PROXY alone does not keep it off a proxy): the mock is on loopback, so drop them all.
for _name in list(os.environ):
    if _name.lower() in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        del os.environ[_name]
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

# The Huawei SDK writes ~/.huaweicloud/application_id on first use; keep that out of the user's home.
# This must happen before huaweicloudsdkcore is imported (by the fixtures below or the test modules).
_SDK_HOME = tempfile.mkdtemp(prefix="export-desk-sdk-home-")
os.environ["HOME"] = _SDK_HOME

from huaweicloudsdkcdn.v2 import CdnClient  # noqa: E402
from huaweicloudsdkcore.auth.credentials import BasicCredentials, GlobalCredentials  # noqa: E402
from huaweicloudsdkcore.http.http_config import HttpConfig  # noqa: E402
from huaweicloudsdkiotda.v5 import IoTDAClient  # noqa: E402
from tencentcloud.cls.v20201016 import cls_client  # noqa: E402
from tencentcloud.common import credential  # noqa: E402
from tencentcloud.common.profile.client_profile import ClientProfile  # noqa: E402
from tencentcloud.common.profile.http_profile import HttpProfile  # noqa: E402

# Throwaway credentials: the mock records signatures in its journal, so never real ones.
HUAWEI_AK = "SDKTESTAK0000000000"
HUAWEI_SK = "sdk-test-secret-key-not-real"
HUAWEI_DOMAIN_ID = "0123456789abcdef0123456789abcdef"
HUAWEI_PROJECT_ID = "fedcba9876543210fedcba9876543210"
TENCENT_SECRET_ID = "AKIDsdktest0000000000000000000000000"
TENCENT_SECRET_KEY = "sdktestsecretkeynotreal0000000000"
TENCENT_REGION = "ap-guangzhou"

# Direct connections only, whatever the environment says.
_ADMIN = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_SDK_HOME, ignore_errors=True)


# How each mode starts the server: strict mode names the suite's credentials explicitly (they are
# also the server's defaults), so the options themselves are exercised.
MODES = {
    "plain": {},
    "strict": {
        "verify_signatures": "true",
        "mock_huawei_ak": HUAWEI_AK,
        "mock_huawei_sk": HUAWEI_SK,
        "mock_tencent_secret_id": TENCENT_SECRET_ID,
        "mock_tencent_secret_key": TENCENT_SECRET_KEY,
    },
}


class Mock:
    """A running mock: its base URL and the admin calls the tests need."""

    def __init__(self, base_url, verifies_signatures=False):
        self.base_url = base_url
        self.host = base_url.removeprefix("http://")
        self.verifies_signatures = verifies_signatures

    def call(self, method, path, body=None):
        """One plain HTTP call; returns (status, headers, body bytes) whatever the status."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with _ADMIN.open(request, timeout=30) as answer:
                return answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def admin(self, method, path, body=None):
        """An admin call that must succeed; returns its JSON answer."""
        status, _, payload = self.call(method, path, body)
        assert status == 200, f"{method} {path} {body} answered {status}: {payload!r}"
        return json.loads(payload)

    def download(self, url):
        """GETs a download link (absolute, as the APIs hand them out); returns (status, headers, bytes)."""
        assert url.startswith(self.base_url + "/"), f"a link on the mock's own origin: {url}"
        return self.call("GET", url.removeprefix(self.base_url))

    def advance(self, seconds):
        return self.admin("POST", "/_mock/clock/advance", {"seconds": seconds})

    def settle(self):
        """Moves mock time past the longest a task can run, so every running task finishes on the next call."""
        return self.advance(SETTLE_S)

    def now_ms(self):
        return self.admin("GET", "/_mock/clock")["now_ms"]

    def reset(self, seed=1, demo_tasks=0):
        return self.admin("POST", "/_mock/reset", {"seed": seed, "demo_tasks": demo_tasks})

    def fault(self, **rule):
        return self.admin("POST", "/_mock/faults", rule)

    def clear_faults(self):
        return self.admin("DELETE", "/_mock/faults")

    def journal(self, operation, limit=None):
        query = f"?operation={operation}" + (f"&limit={limit}" if limit else "")
        return self.admin("GET", "/_mock/journal" + query)["entries"]


def _clean_environment():
    """The caller's environment, minus everything that could configure the server behind the test's back."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("EXPORT_DESK_") and name != "RUST_LOG" and "proxy" not in name.lower()
    }


@contextlib.contextmanager
def running_mock(dist, **overrides):
    """Runs the server binary with the suite's settings until the block ends; each `overrides` entry
    (`fail_rate="1"` for `--fail-rate 1`) replaces a setting or adds one. Yields a Mock for it."""
    binary = Path(os.environ.get("EXPORT_DESK_BIN") or DEFAULT_BINARY)
    if not binary.is_file():
        pytest.fail(
            f"no server binary at {binary}: run `cargo build --release -p export-desk-server` first "
            "(or point EXPORT_DESK_BIN at one)",
            pytrace=False,
        )
    (dist / "index.html").write_text("<!doctype html><title>sdk conformance</title>\n")
    settings = {
        "port": "0",
        "bind": "127.0.0.1",
        "demo_tasks": "0",
        "fail_rate": "0",
        "task_duration": f"{TASK_DURATION_S}s",
        "log": "off",
        "dist": str(dist),
        **overrides,
    }
    command = [str(binary)]
    for name, value in settings.items():
        command += ["--" + name.replace("_", "-"), value]
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, env=_clean_environment(), text=True
    )

    # Read the first line on a thread, so a silent server fails the session instead of hanging it;
    # the thread then drains stdout so the server never blocks on a full pipe.
    first_line = queue.Queue()

    def read_stdout():
        first_line.put(process.stdout.readline())
        for _ in process.stdout:
            pass

    threading.Thread(target=read_stdout, daemon=True).start()
    try:
        line = first_line.get(timeout=30)
    except queue.Empty:
        line = ""
    try:
        if not line.startswith(LISTENING + "http://127.0.0.1:"):
            try:
                exit_code = process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                exit_code = "none, still running"
            pytest.fail(
                f"{' '.join(command)} did not print its URL (exit code: {exit_code}); it printed {line!r}",
                pytrace=False,
            )
        yield Mock(line.removeprefix(LISTENING).strip(), settings.get("verify_signatures") == "true")
    finally:
        process.kill()
        process.wait(timeout=30)


@pytest.fixture(scope="session", params=list(MODES))
def mode(request):
    """`plain` or `strict`: every test that uses a mock runs once in each (pytest groups the tests by
    mode, so each mode's servers start once)."""
    return request.param


@pytest.fixture(scope="session")
def mock(tmp_path_factory, mode):
    """The mock most tests use: no demo tasks, every task succeeds."""
    with running_mock(tmp_path_factory.mktemp(f"dist-{mode}"), **MODES[mode]) as server:
        yield server


@pytest.fixture(scope="session")
def failing_mock(tmp_path_factory, mode):
    """A second mock where every task (and every URL of a refresh or preheat) fails, for the failure paths."""
    with running_mock(tmp_path_factory.mktemp(f"dist-failing-{mode}"), fail_rate="1", **MODES[mode]) as server:
        yield server


@pytest.fixture(autouse=True)
def fresh_mock(mock):
    """Every test starts from an empty mock with no faults (the clock runs on: it never goes back), so
    tests see only their own tasks and may run in any order."""
    mock.reset()
    yield mock


@pytest.fixture
def faults(mock):
    """For tests that inject faults: whatever they set is removed afterwards, pass or fail."""
    yield mock
    mock.clear_faults()


def _huawei_http_config():
    config = HttpConfig.get_default_config()
    config.timeout = (10, 30)
    return config


def cdn_client(mock, ak=HUAWEI_AK, sk=HUAWEI_SK):
    return (
        CdnClient.new_builder()
        .with_http_config(_huawei_http_config())
        .with_credentials(GlobalCredentials(ak, sk, HUAWEI_DOMAIN_ID))
        .with_endpoints([mock.base_url])
        .build()
    )


def iotda_client(mock, ak=HUAWEI_AK, sk=HUAWEI_SK):
    return (
        IoTDAClient.new_builder()
        .with_http_config(_huawei_http_config())
        .with_credentials(BasicCredentials(ak, sk, HUAWEI_PROJECT_ID))
        .with_endpoints([mock.base_url])
        .build()
    )


def cls_client_for(mock, secret_id=TENCENT_SECRET_ID, secret_key=TENCENT_SECRET_KEY, language="en-US"):
    # The SDK's profile asks for Chinese messages (X-TC-Language: zh-CN) unless told otherwise, and
    # the mock answers in the language asked for, as the cloud does. The suite reads English
    # messages; test_cls.py checks the SDK's default language on its own.
    http_profile = HttpProfile(endpoint=mock.host, protocol="http", reqTimeout=30)
    return cls_client.ClsClient(
        credential.Credential(secret_id, secret_key),
        TENCENT_REGION,
        ClientProfile(httpProfile=http_profile, language=language),
    )


@pytest.fixture(scope="session")
def cdn(mock):
    return cdn_client(mock)


@pytest.fixture(scope="session")
def iotda(mock):
    return iotda_client(mock)


@pytest.fixture(scope="session")
def cls(mock):
    return cls_client_for(mock)


@pytest.fixture
def failing_cdn(failing_mock):
    failing_mock.reset()
    return cdn_client(failing_mock)


@pytest.fixture
def failing_iotda(failing_mock):
    failing_mock.reset()
    return iotda_client(failing_mock)


@pytest.fixture
def failing_cls(failing_mock):
    failing_mock.reset()
    return cls_client_for(failing_mock)
