"""A real ML Metadata gRPC server, without Docker.

The official MLMD server ships only as a Docker image. This one runs on the same store engine: it registers the
upstream gRPC service (``ml_metadata/proto/metadata_store_service_pb2_grpc.py``) and forwards each RPC's serialized
request to the function of the same name in the upstream wheel's C++ extension (``metadata_store_extension``), the
MetadataStore that the official server wraps. A non-zero status code from the extension becomes the gRPC status and
message. RPCs the extension does not expose answer UNIMPLEMENTED.

It must run in a venv where the *upstream* platform wheel ``ml-metadata`` is installed (never the pure wheel).

Usage:
  python mlmd_server.py [--backend memory|sqlite] [--sqlite-path PATH] [--host 127.0.0.1] [--port 0]
                        [--ready-file PATH]

Prints exactly one readiness line on stdout once it accepts connections:
  MLMD_SERVER_READY port=<port> pid=<pid> mlmd=<version> backend=<backend>
and writes the same line to --ready-file (atomically) if given. Exits 0 on SIGTERM or SIGINT.
"""

import argparse
import os
import signal
import sys
import threading
from concurrent import futures

import grpc

from ml_metadata import version as mlmd_version
from ml_metadata.metadata_store.pywrap.metadata_store_extension import metadata_store as extension
from ml_metadata.proto import metadata_store_pb2
from ml_metadata.proto import metadata_store_service_pb2
from ml_metadata.proto import metadata_store_service_pb2_grpc

SERVICE_NAME = "MetadataStoreService"
_STATUS_BY_CODE = {status.value[0]: status for status in grpc.StatusCode}


def connection_config(backend, sqlite_path):
    config = metadata_store_pb2.ConnectionConfig()
    if backend == "memory":
        config.fake_database.SetInParent()
    else:
        config.sqlite.filename_uri = sqlite_path
        config.sqlite.connection_mode = metadata_store_pb2.SqliteMetadataSourceConfig.READWRITE_OPENCREATE
    return config


def make_servicer(store):
    """Builds a servicer whose methods forward to the extension, serialized, one call at a time."""
    # The extension's store is one C++ object; the official server also serializes access to a store.
    lock = threading.Lock()
    service = metadata_store_service_pb2.DESCRIPTOR.services_by_name[SERVICE_NAME]
    methods = {}
    forwarded, unimplemented = [], []

    def forwarder(name, function, response_class):
        def call(self, request, context):
            with lock:
                response_bytes, error_message, status_code = function(store, request.SerializeToString())
            if status_code != 0:
                status = _STATUS_BY_CODE.get(status_code, grpc.StatusCode.UNKNOWN)
                message = error_message.decode("utf-8", "replace") if isinstance(error_message, bytes) else str(error_message)
                context.abort(status, message)
            return response_class.FromString(response_bytes)

        call.__name__ = name
        return call

    def unimplemented_method(name):
        def call(self, request, context):
            context.abort(
                grpc.StatusCode.UNIMPLEMENTED,
                f"{name} is not exposed by metadata_store_extension of ml-metadata {mlmd_version.__version__}",
            )

        call.__name__ = name
        return call

    for method in service.methods:
        function = getattr(extension, method.name, None)
        if function is None:
            methods[method.name] = unimplemented_method(method.name)
            unimplemented.append(method.name)
        else:
            response_class = getattr(metadata_store_service_pb2, method.output_type.name)
            methods[method.name] = forwarder(method.name, function, response_class)
            forwarded.append(method.name)
    servicer_class = type("ForwardingServicer", (metadata_store_service_pb2_grpc.MetadataStoreServiceServicer,), methods)
    return servicer_class(), forwarded, unimplemented


def write_atomically(path, text):
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("memory", "sqlite"), default="memory")
    parser.add_argument("--sqlite-path", help="database file for --backend sqlite (created if missing)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--ready-file")
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args(argv)
    if args.backend == "sqlite" and not args.sqlite_path:
        parser.error("--backend sqlite needs --sqlite-path")

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    migration = metadata_store_pb2.MigrationOptions()
    migration.enable_upgrade_migration = True
    # Each CreateMetadataStore with the fake database is a new empty store: exactly one per server.
    store = extension.CreateMetadataStore(
        connection_config(args.backend, args.sqlite_path).SerializeToString(), migration.SerializeToString()
    )
    servicer, forwarded, unimplemented = make_servicer(store)

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=args.workers))
    metadata_store_service_pb2_grpc.add_MetadataStoreServiceServicer_to_server(servicer, server)
    port = server.add_insecure_port(f"{args.host}:{args.port}")
    if port == 0:
        print(f"mlmd_server: cannot bind {args.host}:{args.port}", file=sys.stderr)
        return 2
    server.start()
    print(
        f"mlmd_server: {len(forwarded)} RPCs forwarded, UNIMPLEMENTED: {', '.join(unimplemented) or 'none'}",
        file=sys.stderr,
    )
    line = (
        f"MLMD_SERVER_READY port={port} pid={os.getpid()} mlmd={mlmd_version.__version__} backend={args.backend}"
    )
    if args.ready_file:
        write_atomically(args.ready_file, line + "\n")
    print(line, flush=True)

    stop.wait()
    server.stop(grace=2).wait()
    print("mlmd_server: stopped", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
