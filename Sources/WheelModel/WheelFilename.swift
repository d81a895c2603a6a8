/// A parsed wheel file name: `{distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl` (PEP 427 and the binary
/// distribution format spec).
///
/// Tag parts may be compressed sets such as `cp39.cp310`. A PEP 825 (Draft) variant label after the platform tag is read only when
/// asked for (`allowingVariant`): no index or installer takes variant wheels yet.
public struct WheelFilename: Sendable, Hashable, CustomStringConvertible {
    /// The distribution part as written in the file name (escaped, for example `ml_metadata`).
    public let distribution: String
    /// The version as written in the file name.
    public let version: String
    /// The optional build tag, which must start with a digit.
    public let buildTag: String?
    /// The compressed python tag set, for example `cp39` or `py2.py3`.
    public let pythonTag: String
    /// The compressed ABI tag set.
    public let abiTag: String
    /// The compressed platform tag set, for example `manylinux_2_17_x86_64.manylinux2014_x86_64`.
    public let platformTag: String
    /// The PEP 825 variant label after the platform tag (`x86_64_v3`, `null`), when the name has one.
    public let variantLabel: String?

    /// Parses a file name (a path's last component; folders are ignored); a variant label is refused.
    ///
    /// - Throws: `WheelFormatError.invalidFilename` naming what is wrong.
    public init(parsing text: String) throws(WheelFormatError) {
        try self.init(parsing: text, allowingVariant: false)
    }

    /// Parses a file name (a path's last component; folders are ignored).
    ///
    /// A name with a build tag has 6 parts and one with a variant label too; a build tag starts with a digit and a python tag never does,
    /// which tells them apart.
    ///
    /// - Parameters:
    ///   - text: the file name or a path ending in it.
    ///   - allowingVariant: whether a PEP 825 variant label (`^[0-9a-z_.]{1,16}$`) may follow the platform tag.
    /// - Throws: `WheelFormatError.invalidFilename` naming what is wrong.
    public init(parsing text: String, allowingVariant: Bool) throws(WheelFormatError) {
        let name = String(text.split(separator: "/").last ?? Substring(text))
        guard name.hasSuffix(".whl") else { throw .invalidFilename(name, reason: "it does not end in .whl") }
        var parts = name.dropLast(4).split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5 || parts.count == 6 || (allowingVariant && parts.count == 7) else {
            throw .invalidFilename(name, reason: "expected 5 or 6 '-'-separated parts, found \(parts.count)")
        }
        guard parts.allSatisfy({ !$0.isEmpty }) else { throw .invalidFilename(name, reason: "a part is empty") }
        let startsWithDigit = { (part: String) in part.first.map { $0.isASCII && $0.isNumber } ?? false }
        var label: String?
        if allowingVariant, parts.count == 7 || (parts.count == 6 && !startsWithDigit(parts[2])) {
            label = parts.removeLast()
            guard let label, Self.isValidVariantLabel(label) else {
                throw .invalidFilename(name, reason: "the variant label '\(label ?? "")' is not 1-16 of 0-9, a-z, '_', '.'")
            }
        }
        if parts.count == 6 {
            guard startsWithDigit(parts[2]) else {
                throw .invalidFilename(name, reason: "the build tag '\(parts[2])' must start with a digit")
            }
        }
        distribution = parts[0]
        version = parts[1]
        buildTag = parts.count == 6 ? parts[2] : nil
        pythonTag = parts[parts.count - 3]
        abiTag = parts[parts.count - 2]
        platformTag = parts[parts.count - 1]
        variantLabel = label
    }

    /// Whether `label` is a PEP 825 variant label: 1 to 16 of `0-9`, `a-z`, `_` and `.`.
    public static func isValidVariantLabel(_ label: String) -> Bool {
        (1...16).contains(label.utf8.count)
            && label.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x5F || $0 == 0x2E }
    }

    /// Builds a file name from typed parts: the project name escaped and the version in its normalized
    /// spelling, as the binary distribution format requires.
    public init(project: ProjectName, version: PEP440Version, buildTag: String? = nil, tag: WheelTag) {
        self.init(distribution: project.spelling, version: version.description, buildTag: buildTag, tag: tag)
    }

    /// The distribution part as a project name.
    public var project: ProjectName { ProjectName(distribution) }

    /// The version part, when it is a valid PEP 440 version (`check` also reads file names whose version is
    /// not, to report them).
    public var parsedVersion: PEP440Version? { PEP440Version(parsing: version) }

    /// Builds a file name from its parts; the distribution is escaped as the spec requires.
    public init(distribution: String, version: String, buildTag: String? = nil, tag: WheelTag) {
        self.distribution = ProjectName.escaped(distribution)
        self.version = version
        self.buildTag = buildTag
        self.pythonTag = tag.python
        self.abiTag = tag.abi
        self.platformTag = tag.platform
        self.variantLabel = nil
    }

    /// Every single tag the compressed sets expand to, in file-name order.
    public var tags: [WheelTag] { WheelTag.expanding(python: pythonTag, abi: abiTag, platform: platformTag) }

    /// Whether this wheel claims to be pure Python for any platform (`-none-any`).
    public var isPureTagged: Bool { abiTag == "none" && platformTag == "any" }

    /// The platform family (`linux`, `macos`, `windows`, or `any`) of the platform tags.
    public var platformFamily: PlatformFamily { PlatformFamily(platformTag: platformTag) }

    /// The `.dist-info` folder name that goes with this file name.
    public var distInfoDirectory: String { "\(distribution)-\(version).dist-info" }

    /// The file name as PEP 427 spells it, tags compressed as parsed, and the variant label when there is one.
    public var description: String {
        ([distribution, version] + (buildTag.map { [$0] } ?? []) + [pythonTag, abiTag, platformTag] + (variantLabel.map { [$0] } ?? []))
            .joined(separator: "-") + ".whl"
    }
}

/// One expanded compatibility tag.
public struct WheelTag: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Python implementation and version, for example `py3`, `cp311`.
    public let python: String
    /// ABI, for example `none`, `cp311`, `abi3`.
    public let abi: String
    /// Platform, for example `any`, `win_amd64`.
    public let platform: String

    /// Creates a tag.
    public init(python: String, abi: String, platform: String) {
        self.python = python
        self.abi = abi
        self.platform = platform
    }

    /// Parses `python-abi-platform`.
    ///
    /// - Returns: `nil` unless there are exactly three non-empty parts.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.init(python: String(parts[0]), abi: String(parts[1]), platform: String(parts[2]))
    }

    /// Every tag a compressed tag set (`py2.py3-none-any`, PEP 425 "Compressed Tag Sets") stands for: each `.`-separated python tag with
    /// each ABI tag with each platform tag, in that order.
    ///
    /// The one rule used for file names and for WHEEL's `Tag` lines.
    public static func expanding(python: String, abi: String, platform: String) -> [WheelTag] {
        python.split(separator: ".").flatMap { python in
            abi.split(separator: ".").flatMap { abi in
                platform.split(separator: ".").map { WheelTag(python: String(python), abi: String(abi), platform: String($0)) }
            }
        }
    }

    /// The universal pure-Python 3 tag.
    public static let py3NoneAny = WheelTag(python: "py3", abi: "none", platform: "any")

    /// The tag as `python-abi-platform`.
    public var description: String { "\(python)-\(abi)-\(platform)" }

    /// Orders tags by their `python-abi-platform` text.
    public static func < (lhs: WheelTag, rhs: WheelTag) -> Bool { lhs.description < rhs.description }
}

/// The operating-system family a platform tag belongs to.
public enum PlatformFamily: String, Sendable, Hashable, CaseIterable {
    case linux, macos, windows, any, other

    /// Classifies a (possibly compressed) platform tag by its first member.
    public init(platformTag: String) {
        let first = platformTag.split(separator: ".").first.map(String.init) ?? platformTag
        if first == "any" {
            self = .any
        } else if first.hasPrefix("manylinux") || first.hasPrefix("musllinux") || first.hasPrefix("linux") {
            self = .linux
        } else if first.hasPrefix("macosx") {
            self = .macos
        } else if first.hasPrefix("win") {
            self = .windows
        } else {
            self = .other
        }
    }
}
