"""Checks a running test server at the raw gRPC level (run in the server's venv).

    python server_check.py PORT

The RPCs that the extension does not expose must answer UNIMPLEMENTED; a forwarded RPC must answer OK; an error
from the store must arrive as the matching gRPC status with the store's message.
"""
import sys

import grpc

from ml_metadata.proto import metadata_store_service_pb2 as service
from ml_metadata.proto import metadata_store_service_pb2_grpc as service_grpc

MISSING = ("GetLineageGraph", "GetParentContextsByContexts", "GetChildrenContextsByContexts")


def main(port):
    stub = service_grpc.MetadataStoreServiceStub(grpc.insecure_channel(f"127.0.0.1:{port}"))
    problems = []
    for name in MISSING:
        request = getattr(service, f"{name}Request")()
        try:
            getattr(stub, name)(request, timeout=30)
            problems.append(f"{name}: answered OK, expected UNIMPLEMENTED")
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.UNIMPLEMENTED:
                problems.append(f"{name}: {e.code()} {e.details()}, expected UNIMPLEMENTED")
    stub.GetArtifactTypes(service.GetArtifactTypesRequest(), timeout=30)
    try:
        stub.GetArtifactType(service.GetArtifactTypeRequest(type_name="server-check-no-such-type"), timeout=30)
        problems.append("GetArtifactType(missing): answered OK, expected NOT_FOUND")
    except grpc.RpcError as e:
        if e.code() != grpc.StatusCode.NOT_FOUND or "server-check-no-such-type" not in (e.details() or ""):
            problems.append(f"GetArtifactType(missing): {e.code()} {e.details()!r}, expected NOT_FOUND naming the type")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
