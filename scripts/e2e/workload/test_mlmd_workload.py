"""The MLMD workload: a gRPC client session through ml_metadata's public API against a real MLMD server.

Runs unchanged with the pure wheel (ml-metadata-remote) and with the upstream platform wheel, so that the same
normalized transcript from both proves that the pure wheel behaves like upstream (see conftest.py for settings).
"""

import importlib.metadata
import os
import pathlib
import platform

import pytest

from ml_metadata import errors
from ml_metadata.metadata_store import ListOptions
from ml_metadata.metadata_store import OrderByField
from ml_metadata.metadata_store import metadata_store
from ml_metadata.proto import metadata_store_pb2 as mlmd

# ---------------------------------------------------------------------------------------------------------------
# Normalization: ids differ between runs and stores, timestamps always do, names carry the run's namespace.
# ---------------------------------------------------------------------------------------------------------------

_TIME_FIELDS = {"create_time_since_epoch", "last_update_time_since_epoch", "milliseconds_since_epoch"}
# Which id space each integer id field refers to, per message type.
_ID_KINDS = {
    "Artifact": {"id": "A", "type_id": "T"},
    "Execution": {"id": "E", "type_id": "T"},
    "Context": {"id": "C", "type_id": "T"},
    "ArtifactType": {"id": "T"},
    "ExecutionType": {"id": "T"},
    "ContextType": {"id": "T"},
    "Event": {"artifact_id": "A", "execution_id": "E"},
    "Attribution": {"artifact_id": "A", "context_id": "C"},
    "Association": {"execution_id": "E", "context_id": "C"},
    "ParentContext": {"child_id": "C", "parent_id": "C"},
}
_ID_MAPS = {}


class Normalizer:
    def __init__(self, label, namespace):
        self.ids = _ID_MAPS.setdefault(label, {})
        self.namespace = namespace

    def id(self, kind, value):
        key = (kind, int(value))
        if key not in self.ids:
            self.ids[key] = f"{kind}{sum(1 for k in self.ids if k[0] == kind) + 1}"
        return self.ids[key]

    def text(self, value):
        return value.replace(self.namespace, "NS")

    def __call__(self, value):
        if isinstance(value, (list, tuple)):
            return [self(v) for v in value]
        if isinstance(value, dict):
            return {self(k): self(v) for k, v in sorted(value.items())}
        if isinstance(value, str):
            return self.text(value)
        if hasattr(value, "ListFields"):
            return self.message(value)
        return value

    def message(self, msg):
        kinds = _ID_KINDS.get(msg.DESCRIPTOR.name, {})
        out = {}
        for field, value in msg.ListFields():
            name = field.name
            if name in _TIME_FIELDS:
                continue
            if name in kinds:
                out[name] = self.id(kinds[name], value)
            elif field.message_type is not None and field.message_type.GetOptions().map_entry:
                out[name] = {k: self(v) for k, v in sorted(value.items())}
            elif field.label == field.LABEL_REPEATED:
                out[name] = [self(v) for v in value]
            elif field.message_type is not None:
                out[name] = self.message(value)
            elif field.enum_type is not None:
                out[name] = field.enum_type.values_by_number[value].name
            else:
                out[name] = self(value)
        return out


def by_id(items):
    return sorted(items, key=lambda item: item.id)


@pytest.fixture
def norm(server, namespace):
    return Normalizer(server[0], namespace)


# ---------------------------------------------------------------------------------------------------------------
# The installed client itself
# ---------------------------------------------------------------------------------------------------------------


def test_client_installation(client_kind):
    import ml_metadata

    expected_version = os.environ.get("MLMD_E2E_VERSION")
    if expected_version:
        assert ml_metadata.__version__ == expected_version
    package_dir = pathlib.Path(ml_metadata.__file__).parent
    shared_objects = sorted(str(p.relative_to(package_dir)) for p in package_dir.rglob("*") if p.suffix in (".so", ".pyd", ".dylib"))
    if client_kind == "pure":
        assert importlib.metadata.version("ml-metadata-remote") == expected_version or not expected_version
        assert shared_objects == [], f"the pure wheel must not ship native code: {shared_objects}"
        with pytest.raises(importlib.metadata.PackageNotFoundError):
            importlib.metadata.version("ml-metadata")
    else:
        assert shared_objects, "the upstream baseline must be the platform wheel"


def test_machine():
    expected = os.environ.get("MLMD_E2E_MACHINE")
    if not expected:
        pytest.skip("MLMD_E2E_MACHINE not set")
    assert platform.machine() == expected


def test_connection_config_is_remote_only(client_kind):
    config = mlmd.ConnectionConfig()
    config.fake_database.SetInParent()
    if client_kind == "upstream":
        # Baseline: the platform wheel opens an in-process store.
        assert metadata_store.MetadataStore(config).get_artifact_types() == []
        return
    with pytest.raises(Exception) as raised:
        metadata_store.MetadataStore(config)
    message = str(raised.value)
    assert "ml-metadata-remote" in message, message
    assert "MetadataStoreClientConfig" in message, message


def test_system_types_match_upstream_binary():
    from ml_metadata.metadata_store import mlmd_types
    from ml_metadata.simple_types.proto import simple_types_pb2

    captured = os.environ.get("MLMD_E2E_SIMPLE_TYPES")
    if not captured:
        pytest.skip("MLMD_E2E_SIMPLE_TYPES not set")
    upstream = simple_types_pb2.SimpleTypes.FromString(pathlib.Path(captured).read_bytes())
    expected = {t.name for t in upstream.artifact_types} | {t.name for t in upstream.execution_types}
    assert len(expected) == 9
    artifact_classes = [mlmd_types.Dataset, mlmd_types.Model, mlmd_types.Metrics, mlmd_types.Statistics]
    execution_classes = [mlmd_types.Train, mlmd_types.Transform, mlmd_types.Process, mlmd_types.Evaluate, mlmd_types.Deploy]
    got = {}
    for cls in artifact_classes + execution_classes:
        instance = cls()
        assert instance.name == f"mlmd.{cls.__name__}"
        got[instance.name] = instance
    assert set(got) == expected
    for cls in artifact_classes:
        assert isinstance(cls(), mlmd_types.ArtifactType)
        assert mlmd.ArtifactType.SystemDefinedBaseType.Name(cls().system_type) == cls.__name__.upper()
    for cls in execution_classes:
        assert isinstance(cls(), mlmd_types.ExecutionType)
        assert mlmd.ExecutionType.SystemDefinedBaseType.Name(cls().system_type) == cls.__name__.upper()


# ---------------------------------------------------------------------------------------------------------------
# The store, through the server
# ---------------------------------------------------------------------------------------------------------------


def _types(store, ns):
    dataset = mlmd.ArtifactType(name=f"{ns}.Dataset", base_type=mlmd.ArtifactType.DATASET)
    dataset.properties["split"] = mlmd.STRING
    dataset.properties["rows"] = mlmd.INT
    dataset.properties["score"] = mlmd.DOUBLE
    trainer = mlmd.ExecutionType(name=f"{ns}.Trainer")
    trainer.properties["epochs"] = mlmd.INT
    pipeline = mlmd.ContextType(name=f"{ns}.Pipeline")
    pipeline.properties["owner"] = mlmd.STRING
    return (
        store.put_artifact_type(dataset),
        store.put_execution_type(trainer),
        store.put_context_type(pipeline),
    )


def test_types(store, namespace, record, norm):
    ns = namespace
    a_id, e_id, c_id = _types(store, ns)
    # Putting an identical type again is idempotent.
    assert _types(store, ns) == (a_id, e_id, c_id)
    dataset = store.get_artifact_type(f"{ns}.Dataset")
    assert dataset.id == a_id and dataset.base_type == mlmd.ArtifactType.DATASET
    assert dict(dataset.properties) == {"split": mlmd.STRING, "rows": mlmd.INT, "score": mlmd.DOUBLE}
    assert store.get_execution_type(f"{ns}.Trainer").id == e_id
    assert store.get_context_type(f"{ns}.Pipeline").id == c_id
    # Adding a property needs can_add_fields.
    narrow = mlmd.ArtifactType(name=f"{ns}.Evolving")
    narrow.properties["split"] = mlmd.STRING
    evolving_id = store.put_artifact_type(narrow)
    wider = mlmd.ArtifactType()
    wider.CopyFrom(narrow)
    wider.properties["format"] = mlmd.STRING
    with pytest.raises(errors.AlreadyExistsError):
        store.put_artifact_type(wider)
    assert store.put_artifact_type(wider, can_add_fields=True) == evolving_id
    assert dict(store.get_artifact_type(f"{ns}.Evolving").properties) == {"split": mlmd.STRING, "format": mlmd.STRING}
    mine = lambda types: [t for t in types if t.name.startswith(ns + ".")]
    record("artifact_types", norm(by_id(mine(store.get_artifact_types()))))
    record("execution_types", norm(by_id(mine(store.get_execution_types()))))
    record("context_types", norm(by_id(mine(store.get_context_types()))))
    record("by_id", norm(store.get_artifact_types_by_id([a_id]) + store.get_execution_types_by_id([e_id]) + store.get_context_types_by_id([c_id])))


def test_artifacts_and_properties(store, namespace, record, norm):
    ns = namespace
    a_type, _, _ = _types(store, ns)
    artifacts = []
    for i, split in enumerate(["train", "eval", "test"]):
        artifact = mlmd.Artifact(type_id=a_type, uri=f"/{ns}/data/{split}", name=f"{ns}-data-{split}")
        artifact.properties["split"].string_value = split
        artifact.properties["rows"].int_value = 1000 * (i + 1)
        artifact.properties["score"].double_value = 0.5 + i
        artifact.custom_properties["tag"].string_value = f"v{i}"
        artifact.custom_properties["seed"].int_value = 42 + i
        artifact.custom_properties["ratio"].double_value = 0.25 * i
        artifact.state = mlmd.Artifact.LIVE
        artifacts.append(artifact)
    ids = store.put_artifacts(artifacts)
    assert len(ids) == 3 and len(set(ids)) == 3
    got = store.get_artifacts_by_id(ids)
    assert sorted(a.id for a in got) == sorted(ids)
    first = [a for a in got if a.id == ids[0]][0]
    assert first.properties["split"].string_value == "train"
    assert first.custom_properties["seed"].int_value == 42
    assert first.custom_properties["ratio"].double_value == 0.0
    # Update in place: the id is kept, the state and a custom property change.
    first.state = mlmd.Artifact.DELETED
    first.custom_properties["tag"].string_value = "updated"
    assert store.put_artifacts([first]) == [ids[0]]
    updated = store.get_artifacts_by_id([ids[0]])[0]
    assert updated.state == mlmd.Artifact.DELETED and updated.custom_properties["tag"].string_value == "updated"
    by_type = by_id(store.get_artifacts_by_type(f"{ns}.Dataset"))
    assert [a.id for a in by_type][:3] == sorted(ids)[:3]
    by_uri = store.get_artifacts_by_uri(f"/{ns}/data/eval")
    assert [a.id for a in by_uri] == [ids[1]]
    by_name = store.get_artifact_by_type_and_name(f"{ns}.Dataset", f"{ns}-data-test")
    assert by_name is not None and by_name.id == ids[2]
    assert store.get_artifact_by_type_and_name(f"{ns}.Dataset", f"{ns}-missing") is None
    assert store.get_artifacts_by_uri(f"/{ns}/nothing-here") == []
    assert store.get_artifacts_by_id([]) == []
    record("artifacts", norm(by_id(store.get_artifacts_by_id(ids))))
    record("by_uri", norm(by_uri))


def test_executions(store, namespace, record, norm):
    ns = namespace
    _, e_type, _ = _types(store, ns)
    executions = []
    for i in range(3):
        execution = mlmd.Execution(type_id=e_type, name=f"{ns}-run-{i}")
        execution.properties["epochs"].int_value = 10 * (i + 1)
        execution.custom_properties["note"].string_value = f"run {i}"
        execution.last_known_state = mlmd.Execution.RUNNING
        executions.append(execution)
    ids = store.put_executions(executions)
    done = store.get_executions_by_id([ids[0]])[0]
    done.last_known_state = mlmd.Execution.COMPLETE
    assert store.put_executions([done]) == [ids[0]]
    assert store.get_execution_by_type_and_name(f"{ns}.Trainer", f"{ns}-run-0").last_known_state == mlmd.Execution.COMPLETE
    by_type = by_id(store.get_executions_by_type(f"{ns}.Trainer"))
    assert [e.id for e in by_type] == sorted(ids)
    record("executions", norm(by_type))


def _lineage(store, ns):
    """A small pipeline: context -> execution -> (input artifact -> output artifact)."""
    a_type, e_type, c_type = _types(store, ns)
    context = mlmd.Context(type_id=c_type, name=f"{ns}-pipeline-lineage")
    context.properties["owner"].string_value = "e2e"
    [context_id] = store.put_contexts([context])
    source = mlmd.Artifact(type_id=a_type, uri=f"/{ns}/lineage/in")
    source.properties["split"].string_value = "raw"
    [source_id] = store.put_artifacts([source])
    execution = mlmd.Execution(type_id=e_type, name=f"{ns}-lineage-run")
    execution.last_known_state = mlmd.Execution.COMPLETE
    [execution_id] = store.put_executions([execution])
    store.put_events([mlmd.Event(artifact_id=source_id, execution_id=execution_id, type=mlmd.Event.INPUT)])
    output = mlmd.Artifact(type_id=a_type, uri=f"/{ns}/lineage/out")
    output_event = mlmd.Event(type=mlmd.Event.OUTPUT)
    step = output_event.path.steps.add()
    step.key = "model"
    execution.id = execution_id
    result = store.put_execution(execution, [(output, output_event)], [], reuse_context_if_already_exist=True)
    output_id = result[1][0]
    store.put_attributions_and_associations(
        [mlmd.Attribution(artifact_id=source_id, context_id=context_id), mlmd.Attribution(artifact_id=output_id, context_id=context_id)],
        [mlmd.Association(execution_id=execution_id, context_id=context_id)],
    )
    return context_id, source_id, execution_id, output_id


def test_contexts_events_attributions(store, namespace, record, norm):
    ns = namespace
    context_id, source_id, execution_id, output_id = _lineage(store, ns)
    assert [c.id for c in store.get_contexts_by_artifact(source_id)] == [context_id]
    assert [c.id for c in store.get_contexts_by_execution(execution_id)] == [context_id]
    assert sorted(a.id for a in store.get_artifacts_by_context(context_id)) == sorted([source_id, output_id])
    assert [e.id for e in store.get_executions_by_context(context_id)] == [execution_id]
    events = store.get_events_by_execution_ids([execution_id])
    assert sorted((e.artifact_id, e.type) for e in events) == sorted([(source_id, mlmd.Event.INPUT), (output_id, mlmd.Event.OUTPUT)])
    assert [e.type for e in store.get_events_by_artifact_ids([output_id])] == [mlmd.Event.OUTPUT]
    by_type_and_name = store.get_context_by_type_and_name(f"{ns}.Pipeline", f"{ns}-pipeline-lineage")
    assert by_type_and_name.id == context_id
    assert [c.id for c in store.get_contexts_by_type(f"{ns}.Pipeline") if c.name.endswith("-lineage")] == [context_id]
    assert [c.id for c in store.get_contexts_by_id([context_id])] == [context_id]
    # Parent contexts.
    _, _, c_type = _types(store, ns)
    [parent_id] = store.put_contexts([mlmd.Context(type_id=c_type, name=f"{ns}-parent")])
    store.put_parent_contexts([mlmd.ParentContext(child_id=context_id, parent_id=parent_id)])
    assert [c.id for c in store.get_parent_contexts_by_context(context_id)] == [parent_id]
    assert [c.id for c in store.get_children_contexts_by_context(parent_id)] == [context_id]
    events.sort(key=lambda e: (e.artifact_id, e.type))
    record("events", norm(events))
    record("context", norm(store.get_contexts_by_id([context_id])))
    record("artifacts_by_context", norm(by_id(store.get_artifacts_by_context(context_id))))


def test_lineage_subgraph(store, namespace, record, norm):
    if not hasattr(store, "get_lineage_subgraph"):
        pytest.skip("this ml-metadata version has no get_lineage_subgraph")
    ns = namespace
    context_id, source_id, execution_id, output_id = _lineage(store, ns + "-lg")
    options = mlmd.LineageSubgraphQueryOptions(max_num_hops=4)
    options.starting_artifacts.filter_query = f"uri = '/{ns}-lg/lineage/in'"
    graph = store.get_lineage_subgraph(options, ["artifacts", "executions", "events", "artifact_types", "execution_types"])
    assert sorted(a.id for a in graph.artifacts) == sorted([source_id, output_id])
    assert [e.id for e in graph.executions] == [execution_id]
    assert len(graph.events) == 2
    assert [t.name for t in graph.artifact_types] == [f"{ns}-lg.Dataset"]
    record("graph", norm({
        "artifacts": by_id(graph.artifacts),
        "executions": by_id(graph.executions),
        "events": sorted(graph.events, key=lambda e: (e.artifact_id, e.type)),
        "artifact_types": list(graph.artifact_types),
    }))


def test_list_options_paging(store, namespace, record, norm):
    ns = namespace + "-paging"
    a_type, _, c_type = _types(store, ns)
    [context_id] = store.put_contexts([mlmd.Context(type_id=c_type, name=f"{ns}-ctx")])
    # More than one page: the client pages with next_page_token at MAX_NUM_RESULT (100) per call.
    count = metadata_store.MAX_NUM_RESULT + 25
    artifacts = []
    for i in range(count):
        artifact = mlmd.Artifact(type_id=a_type, uri=f"/{ns}/{i:04d}")
        artifact.properties["rows"].int_value = i
        artifacts.append(artifact)
    ids = store.put_artifacts(artifacts)
    store.put_attributions_and_associations([mlmd.Attribution(artifact_id=i, context_id=context_id) for i in ids], [])
    every = store.get_artifacts_by_context(context_id)
    assert sorted(a.id for a in every) == sorted(ids)
    everything_of_type = store.get_artifacts_by_type(f"{ns}.Dataset")
    assert len(everything_of_type) == count
    first = store.get_artifacts_by_context(context_id, list_options=ListOptions(limit=7, order_by=OrderByField.ID, is_asc=True))
    assert [a.id for a in first] == sorted(ids)[:7]
    last = store.get_artifacts_by_context(context_id, list_options=ListOptions(limit=5, order_by=OrderByField.ID, is_asc=False))
    assert [a.id for a in last] == sorted(ids, reverse=True)[:5]
    filtered = store.get_artifacts(list_options=ListOptions(limit=200, order_by=OrderByField.ID, is_asc=True,
                                                           filter_query=f"uri LIKE '/{ns}/000%'"))
    assert [a.uri for a in filtered] == [f"/{ns}/{i:04d}" for i in range(10)]
    # A limit larger than one page still pages under the hood.
    big = store.get_artifacts(list_options=ListOptions(limit=count, order_by=OrderByField.ID, is_asc=True,
                                                      filter_query=f"type = '{ns}.Dataset'"))
    assert [a.id for a in big] == sorted(ids)
    record("first_page", norm(first))
    record("last_page", norm(last))
    record("filtered", norm(filtered))
    with pytest.raises(errors.InvalidArgumentError):
        store.get_artifacts(list_options=ListOptions(limit=-1))


def test_error_mapping(store, namespace, record):
    ns = namespace
    a_type, _, c_type = _types(store, ns)
    outcomes = {}
    with pytest.raises(errors.NotFoundError):
        store.get_artifact_type(f"{ns}.NoSuchType")
    with pytest.raises(errors.NotFoundError):
        store.get_execution_type(f"{ns}.NoSuchType")
    with pytest.raises(errors.AlreadyExistsError):
        clash = mlmd.ArtifactType(name=f"{ns}.Dataset")
        clash.properties["split"] = mlmd.INT
        store.put_artifact_type(clash)
    store.put_contexts([mlmd.Context(type_id=c_type, name=f"{ns}-unique")])
    with pytest.raises(errors.AlreadyExistsError):
        store.put_contexts([mlmd.Context(type_id=c_type, name=f"{ns}-unique")])
    unknown = mlmd.Artifact(type_id=a_type, uri=f"/{ns}/bad")
    unknown.custom_properties["fine"].int_value = 1
    unknown.properties["no_such_property"].string_value = "x"
    with pytest.raises(errors.InvalidArgumentError) as raised:
        store.put_artifacts([unknown])
    outcomes["unknown_property"] = "Found unknown property: no_such_property" in str(raised.value)
    mistyped = mlmd.Artifact(type_id=a_type, uri=f"/{ns}/bad")
    mistyped.properties["rows"].string_value = "not an int"
    with pytest.raises(errors.InvalidArgumentError):
        store.put_artifacts([mistyped])
    with pytest.raises(errors.InvalidArgumentError):
        store.put_artifact_type(mlmd.ArtifactType())
    with pytest.raises(errors.InvalidArgumentError):
        store.put_events([mlmd.Event(artifact_id=2**40, execution_id=2**40, type=mlmd.Event.INPUT)])
    # Every mapped error is an errors.StatusError carrying the gRPC code.
    try:
        store.get_context_type(f"{ns}.NoSuchType")
    except errors.StatusError as e:
        outcomes["not_found_code"] = e.error_code
    record("outcomes", outcomes)
    assert outcomes == {"unknown_property": True, "not_found_code": errors.NOT_FOUND}


def test_system_base_types_through_the_store(store, namespace, record, norm):
    """Types based on the system types round-trip through the server (it validates base_type itself)."""
    from ml_metadata.metadata_store import mlmd_types

    ns = namespace
    ids = []
    for cls in (mlmd_types.Dataset, mlmd_types.Model, mlmd_types.Metrics, mlmd_types.Statistics):
        system = cls()
        ids.append(store.put_artifact_type(mlmd.ArtifactType(name=f"{ns}.My{cls.__name__}", base_type=system.system_type)))
    for cls in (mlmd_types.Train, mlmd_types.Transform, mlmd_types.Process, mlmd_types.Evaluate, mlmd_types.Deploy):
        system = cls()
        ids.append(store.put_execution_type(mlmd.ExecutionType(name=f"{ns}.My{cls.__name__}", base_type=system.system_type)))
    artifact_types = store.get_artifact_types_by_id(ids[:4])
    execution_types = store.get_execution_types_by_id(ids[4:])
    assert [mlmd.ArtifactType.SystemDefinedBaseType.Name(t.base_type) for t in by_id(artifact_types)] == ["DATASET", "MODEL", "METRICS", "STATISTICS"]
    assert [mlmd.ExecutionType.SystemDefinedBaseType.Name(t.base_type) for t in by_id(execution_types)] == ["TRAIN", "TRANSFORM", "PROCESS", "EVALUATE", "DEPLOY"]
    record("types", norm(by_id(artifact_types) + by_id(execution_types)))

