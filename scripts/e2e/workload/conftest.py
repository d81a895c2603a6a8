"""Fixtures for the MLMD workload: the servers to talk to, a namespace, and the differential transcript.

Configured only through environment variables (set by e2e/workload.py, or by hand):

  MLMD_E2E_SERVERS        comma-separated ``label=host:port`` (label such as ``1.14.0-sqlite``); required
  MLMD_E2E_NAMESPACE      prefix for every name and URI the workload creates, so clients can share a server
  MLMD_E2E_CLIENT         ``pure`` (the ml-metadata-remote wheel) or ``upstream`` (the platform wheel, the baseline)
  MLMD_E2E_VERSION        the ml-metadata version the client must report
  MLMD_E2E_SIMPLE_TYPES   file holding upstream ``LoadSimpleTypes()`` bytes captured from a server's venv
  MLMD_E2E_MACHINE        if set, ``platform.machine()`` must equal it (``aarch64`` for the emulated run)
  MLMD_E2E_TRANSCRIPT     if set, a JSON file the normalized results are written to (for the differential check)
"""

import json
import os

import pytest

_TRANSCRIPT = {}


def _servers():
    spec = os.environ.get("MLMD_E2E_SERVERS", "")
    servers = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        label, _, address = item.partition("=")
        host, _, port = address.rpartition(":")
        servers.append((label, host, int(port)))
    return servers


def pytest_generate_tests(metafunc):
    if "server" in metafunc.fixturenames:
        servers = _servers()
        if not servers:
            raise pytest.UsageError("MLMD_E2E_SERVERS is not set (label=host:port,...)")
        metafunc.parametrize("server", servers, ids=[label for label, _, _ in servers], scope="module")


@pytest.fixture(scope="session")
def namespace():
    return os.environ.get("MLMD_E2E_NAMESPACE", "e2e")


@pytest.fixture(scope="session")
def client_kind():
    kind = os.environ.get("MLMD_E2E_CLIENT", "pure")
    assert kind in ("pure", "upstream"), kind
    return kind


@pytest.fixture(scope="module")
def store(server):
    from ml_metadata import metadata_store
    from ml_metadata.proto import metadata_store_pb2

    _, host, port = server
    config = metadata_store_pb2.MetadataStoreClientConfig(host=host, port=port)
    config.client_timeout_sec = 60
    return metadata_store.MetadataStore(config)


@pytest.fixture
def record(server, request):
    """record(key, value): adds a normalized value to this server's transcript."""
    label = server[0]

    def add(key, value):
        _TRANSCRIPT.setdefault(label, {})[f"{request.node.originalname}.{key}"] = value

    return add


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get("MLMD_E2E_TRANSCRIPT")
    if path:
        tmp = f"{path}.tmp-{os.getpid()}"
        with open(tmp, "w") as f:
            json.dump(_TRANSCRIPT, f, indent=1, sort_keys=True)
        os.replace(tmp, path)
