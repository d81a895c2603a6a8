import FoundationEssentials
import PurewheelBasics
import WheelModel

/// What one wheel says about its release, for comparing the wheels of one distribution and version.
///
/// Kept per wheel until a folder's check ends, so it holds only the compared fields, each normalized so that
/// spelling alone (requirement formatting, field order, name case) is never a difference.
public struct ReleaseFacts: Sendable, Hashable {
    /// The normalized project name and version from the file name: the release the wheel belongs to.
    public let release: String
    /// Each compared field with its normalized values, in `ReleaseConsistency.fields` order.
    public let values: [[String]]

    /// Reads the facts from a wheel's file name and METADATA text; `nil` without a valid name or METADATA.
    ///
    /// - Parameters:
    ///   - filename: the wheel's parsed file name.
    ///   - metadata: the METADATA headers.
    ///   - licenseFiles: the paths under `.dist-info/licenses/`, relative to it.
    public init?(filename: WheelFilename, metadata: HeaderFields, licenseFiles: [String]) {
        guard let version = filename.parsedVersion else { return nil }
        release = "\(filename.project.normalizedName) \(version)"
        values = ReleaseConsistency.fields.map { field in
            switch field {
            case "License-File": return licenseFiles.sorted()
            case "Name": return metadata.all(field).map(ProjectName.normalized)
            case "Version": return metadata.all(field).map { PEP440Version(parsing: $0.trimmed)?.description ?? $0.trimmed }
            case "Requires-Dist":
                return metadata.all(field).map(Self.comparable).sorted()
            case "Provides-Extra": return metadata.all(field).map { ProjectName.normalized($0.trimmed) }.sorted()
            case "Import-Name", "Import-Namespace":
                return metadata.all(field).map {
                    ImportNameRules.parse($0).map { $0.name + ($0.isPrivate ? "; private" : "") } ?? $0.trimmed
                }
                .sorted()
            default: return metadata.all(field).map(\.trimmed).sorted()
            }
        }
    }

    /// A requirement with its name normalized and its marker without white space or quote style, so that two
    /// spellings of one requirement compare equal.
    private static func comparable(_ text: String) -> String {
        guard let requirement = try? Requirement(parsing: text) else { return text.trimmed }
        var spelling = ProjectName.normalized(requirement.name)
        if !requirement.extras.isEmpty {
            spelling += "[" + requirement.extras.map(ProjectName.normalized).sorted().joined(separator: ",") + "]"
        }
        spelling += requirement.specifiers.joined(separator: ",")
        if let url = requirement.url { spelling += " @ " + url }
        if let marker = requirement.marker {
            spelling += ";" + String(marker.filter { !$0.isWhitespace }.map { $0 == "\"" ? "'" : $0 })
        }
        return spelling
    }
}

/// PW646 and PW647: the wheels of one release (same normalized name and version in their file names) must say the
/// same about it.
///
/// Installers read each file's own METADATA, but lock files and resolvers read one file per release and assume the
/// rest agree: a platform wheel missing a `Requires-Dist` its siblings have installs without that dependency
/// (pysam#154); files named 0.4.1 holding 0.4.0 (warehouse#15884). PEP 794 makes Import-Name consistency a MUST,
/// so that field is an error; the others are warnings.
public enum ReleaseConsistency {
    /// The fields compared, in report order.
    public static let fields = [
        "Name", "Version", "Requires-Python", "Requires-Dist", "Provides-Extra", "License-Expression", "License-File",
        "Import-Name", "Import-Namespace",
    ]

    /// The findings for wheels that disagree with the first wheel of their release, by wheel path.
    ///
    /// - Parameter wheels: each checked wheel's path and facts, in report order.
    /// - Returns: for each wheel that differs, one finding per field naming the first wheel of its release.
    public static func findings(_ wheels: [(path: String, facts: ReleaseFacts)]) -> [String: [Finding]] {
        var first = [String: (path: String, facts: ReleaseFacts)]()
        var findings = [String: [Finding]]()
        for wheel in wheels {
            guard let reference = first[wheel.facts.release] else {
                first[wheel.facts.release] = wheel
                continue
            }
            for (index, field) in fields.enumerated() where wheel.facts.values[index] != reference.facts.values[index] {
                let code: FindingCode = field.hasPrefix("Import-") ? .releaseImportNamesDiffer : .releaseFieldsDiffer
                findings[wheel.path, default: []].append(
                    Finding(
                        code, "\(field) differs from \(reference.path), another wheel of the same release",
                        expected: describe(reference.facts.values[index]), actual: describe(wheel.facts.values[index]),
                        hint: "every file of a release should carry the same metadata; rebuild the odd one"))
            }
        }
        return findings
    }

    private static func describe(_ values: [String]) -> String { values.isEmpty ? "(none)" : values.joined(separator: "; ") }
}

extension String {
    fileprivate var trimmed: String { trimmingWhitespace() }
}
