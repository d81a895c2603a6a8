# Added by ml-metadata-remote, a pure-Python (gRPC client only) repack of
# ml-metadata. Licensed under the Apache License, Version 2.0, like the rest of
# the ml_metadata package.
"""The MLMD system-defined simple types, without the C++ extension.

Upstream ml-metadata builds these types in C++: `LoadSimpleTypes()` in the
`metadata_store_extension` module parses the text proto `kSimpleTypes` from
`ml_metadata/simple_types/simple_types_constants.cc` and returns it serialized.
ml-metadata-remote does not ship that extension (it also holds the embedded
SQLite/MySQL store), so `mlmd_types` gets the same message from here instead.

The text below is upstream's `kSimpleTypes`, byte for byte: it was read out of
every upstream extension binary this repack is built from (ml-metadata 1.14.0
to 1.21.0 all carry the same text), and the message parsed from it serializes
to exactly the 145 bytes the extension's `LoadSimpleTypes()` returns. It is
kept as text rather than as serialized bytes so that a reviewer can read it.
"""

from google.protobuf import text_format

from ml_metadata.simple_types.proto import simple_types_pb2

# Same order as upstream: the order decides the serialized bytes, and
# mlmd_types looks types up by name in this order.
SIMPLE_TYPES_TEXT_PROTO = """
  artifact_types { name: "mlmd.Dataset" }
  artifact_types { name: "mlmd.Model" }
  artifact_types { name: "mlmd.Metrics" }
  artifact_types { name: "mlmd.Statistics" }
  execution_types { name: "mlmd.Train" }
  execution_types { name: "mlmd.Transform" }
  execution_types { name: "mlmd.Process" }
  execution_types { name: "mlmd.Evaluate" }
  execution_types { name: "mlmd.Deploy" }
"""


def load_simple_types() -> simple_types_pb2.SimpleTypes:
  """Returns the system-defined simple types as a new `SimpleTypes` message.

  A new message on every call, as upstream parses a fresh one each time: the
  callers keep sub-messages of it, and sharing one message would let a change
  made through one `mlmd_types` instance show up in all the others.
  """
  return text_format.Parse(SIMPLE_TYPES_TEXT_PROTO,
                           simple_types_pb2.SimpleTypes())
