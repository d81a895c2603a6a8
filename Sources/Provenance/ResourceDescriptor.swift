import PurewheelBasics
import WheelModel

/// One artifact a build consumed or produced, as an in-toto ResourceDescriptor: a name, a SHA-256 digest and,
/// where one identifies it beyond this build, a URI.
///
/// See https://github.com/in-toto/attestation/blob/main/spec/v1/resource_descriptor.md. Only the `sha256`
/// digest is written and read: it is the one purewheel pins and computes.
public struct ResourceDescriptor: Sendable, Hashable {
    /// A file name or a recipe-relative path; never an absolute or machine-specific path.
    public var name: String
    /// A location-independent identifier (a package URL for upstream files), or `nil`.
    public var uri: String?
    /// The SHA-256 of the artifact's bytes.
    public var sha256: SHA256Digest

    /// Creates a descriptor.
    public init(name: String, uri: String? = nil, sha256: SHA256Digest) {
        self.name = name
        self.uri = uri
        self.sha256 = sha256
    }

    /// The package URL of an upstream wheel file, for example
    /// `pkg:pypi/ml-metadata@1.17.1?file_name=ml_metadata-1.17.1-cp310-cp310-manylinux_2_17_x86_64.whl`.
    ///
    /// The purl `pypi` type names the project normalized (PEP 503) and selects one file with `file_name`; it
    /// names no index host, so the user's index configuration decides where the file comes from.
    ///
    /// - Parameters:
    ///   - distribution: the upstream project name.
    ///   - version: the upstream version.
    ///   - file: the wheel's file name.
    /// - Returns: the package URL.
    public static func packageURL(distribution: String, version: String, file: String) -> String {
        "pkg:pypi/\(ProjectName.normalized(distribution))@\(version)?file_name=\(file)"
    }
}
