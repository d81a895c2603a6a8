// Provenance: what a build made and from what, as the in-toto statement written beside each wheel, and what
// `verify-provenance` needs to read one back and compare it with a rebuild.
//
// Entry points: `ProvenanceStatement(recording:from:context:)` records a build, `jsonBytes()` writes it,
// `ProvenanceStatement.decode(_:path:)` reads one strictly, `firstDifference(from:)` compares two.
// Failures are `ProvenanceError`.

import PurewheelBasics

/// What one purewheel build made and from what: an in-toto Statement v1 whose predicate is SLSA provenance v1.
///
/// The statement holds nothing that depends on the run (no time, host, user or absolute path), so two builds
/// of the same recipe, upstream file and purewheel version write byte-identical statements on any machine.
/// See https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md and
/// https://slsa.dev/spec/v1.0/provenance.
public struct ProvenanceStatement: Sendable, Hashable {
    /// The in-toto statement type (`_type`).
    public static let statementType = "https://in-toto.io/Statement/v1"
    /// The predicate type: SLSA provenance v1.
    public static let predicateType = "https://slsa.dev/provenance/v1"
    /// The build type: purewheel's recipe build, whose parameters are `ExternalParameters`.
    ///
    /// A URN because it names a format, not a host.
    public static let buildType = "urn:purewheel:recipe-build:v1"
    /// The builder identity written into `runDetails.builder.id`.
    public static let builderID = "urn:purewheel:builder"
    /// The file name suffix of a statement beside its wheel: `<wheel>.intoto.json`.
    public static let fileSuffix = ".intoto.json"

    /// The built wheel: its file name and SHA-256 (exactly one subject).
    public var subject: ResourceDescriptor
    /// How the build is defined: its parameters and every input file.
    public var buildDefinition: BuildDefinition
    /// The version of purewheel that ran the build.
    public var builderVersion: String

    /// Creates a statement.
    public init(subject: ResourceDescriptor, buildDefinition: BuildDefinition, builderVersion: String) {
        self.subject = subject
        self.buildDefinition = buildDefinition
        self.builderVersion = builderVersion
    }

    /// SLSA `buildDefinition`.
    public struct BuildDefinition: Sendable, Hashable {
        /// What the user chose.
        public var externalParameters: ExternalParameters
        /// What purewheel decided on its own.
        public var internalParameters: InternalParameters
        /// The upstream wheel first, then the recipe, its lock (when present), and the patch and inject files
        /// in the order the build used them.
        public var resolvedDependencies: [ResourceDescriptor]

        /// Creates a build definition.
        public init(
            externalParameters: ExternalParameters, internalParameters: InternalParameters, resolvedDependencies: [ResourceDescriptor]
        ) {
            self.externalParameters = externalParameters
            self.internalParameters = internalParameters
            self.resolvedDependencies = resolvedDependencies
        }
    }

    /// SLSA `externalParameters`: the inputs under the user's control.
    public struct ExternalParameters: Sendable, Hashable {
        /// The recipe path relative to the root of the repository that held it (its file name outside any
        /// repository): never absolute, never with `..`, and the same from any working folder.
        public var recipe: String
        /// The upstream version that was built.
        public var upstreamVersion: String
        /// The upstream wheel's file name.
        public var upstreamWheel: String
        /// The output distribution name from the recipe.
        public var outputDistribution: String
        /// The recipe's `revision` of the upstream version (the output is `<upstream>.post<revision>`), or `nil` for none.
        public var revision: Int?
        /// `SOURCE_DATE_EPOCH`, or `nil` when unset (entries then carry 1980-01-01).
        public var sourceDateEpoch: Int64?

        /// Creates the parameters.
        public init(
            recipe: String, upstreamVersion: String, upstreamWheel: String, outputDistribution: String, revision: Int?,
            sourceDateEpoch: Int64?
        ) {
            self.recipe = recipe
            self.upstreamVersion = upstreamVersion
            self.upstreamWheel = upstreamWheel
            self.outputDistribution = outputDistribution
            self.revision = revision
            self.sourceDateEpoch = sourceDateEpoch
        }
    }

    /// SLSA `internalParameters`.
    public struct InternalParameters: Sendable, Hashable {
        /// Whether the upstream file matched its recipe pin (`false` only with `--allow-unpinned`); an unpinned
        /// file cannot be fetched again by `verify-provenance`.
        public var upstreamPinned: Bool

        /// Creates the parameters.
        public init(upstreamPinned: Bool) { self.upstreamPinned = upstreamPinned }
    }

    /// The resolved dependency that is the upstream wheel, if the statement lists it.
    public var upstream: ResourceDescriptor? {
        buildDefinition.resolvedDependencies.first { $0.name == buildDefinition.externalParameters.upstreamWheel }
    }

    /// The resolved dependencies that are recipe-side files (recipe, lock, patches, injected sources), whose
    /// names are paths relative to the recipe's folder.
    public var recipeFiles: [ResourceDescriptor] {
        buildDefinition.resolvedDependencies.filter { $0.name != buildDefinition.externalParameters.upstreamWheel }
    }
}
