import PurewheelBasics
import ZipInspection

/// PW2xx: entry names that could escape the install folder or mean different files on different systems,
/// and entries that are not regular files or folders (uv `validate_archive_member_name`; PyPI 2025 upload
/// rules; the binary distribution format's "installers must not write outside the target").
struct PathCheck {
    func run(_ wheel: WheelSnapshot) -> [Finding] {
        var findings = [Finding]()
        var folded = [String: Int](minimumCapacity: wheel.entries.count)
        var seenRaw = Set<RawName>(minimumCapacity: wheel.entries.count)
        for (position, entry) in wheel.entries.enumerated() {
            findings += nameFindings(entry)
            findings += kindFindings(entry)
            guard seenRaw.insert(entry.rawName).inserted else { continue }  // exact duplicates are PW104
            // Swift compares strings by canonical equivalence, so NFC/NFD spellings collide here too.
            let hasUppercase = !entry.isASCII || entry.name.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
            let key = hasUppercase ? entry.name.lowercased() : entry.name
            if let other = folded[key] {
                findings.append(
                    Finding(
                        .caseInsensitiveCollision, entry: entry.name,
                        "the name collides with another entry on case-insensitive or normalizing file systems",
                        actual: "collides with \(wheel.entries[other].name)", hint: "on macOS and Windows one file overwrites the other"))
            } else {
                folded[key] = position
            }
        }
        return findings + InstallSchemeCheck().run(wheel) + FileFolderConflictCheck().run(wheel)
    }

    private func nameFindings(_ entry: WheelEntry) -> [Finding] {
        var findings = [Finding]()
        let name = entry.name
        func add(_ code: FindingCode, _ message: String) {
            findings.append(
                Finding(code, entry: name, message, hint: "an installer could write outside its target folder; rebuild the wheel"))
        }
        if !entry.isValidUTF8 {
            findings.append(
                Finding(
                    .invalidUTF8Name, entry: name, "the name is not valid UTF-8",
                    actual: entry.rawName.withBytes { $0.map { String($0, radix: 16) } }.joined(separator: " ")))
        } else if !entry.hasUTF8Flag, !entry.isASCII {
            findings.append(
                Finding(
                    .unflaggedNonASCIIName, entry: name,
                    "the name is not ASCII but the UTF-8 flag is not set; readers may decode it as CP437",
                    hint: "rebuild the wheel with a tool that sets the UTF-8 name flag"))
        }
        for problem in entry.rawName.withBytes({ EntryPath.problems(in: $0) }) { add(problem.findingCode, problem.findingMessage) }
        return findings
    }

    private func kindFindings(_ entry: WheelEntry) -> [Finding] {
        guard let mode = entry.unixMode else { return [] }
        switch mode & 0o170000 {
        case 0, 0o100000, 0o040000:
            return []
        case 0o120000:
            return [
                Finding(
                    .symlinkEntry, entry: entry.name, "the entry is a symbolic link",
                    actual: "mode " + String(mode, radix: 8), hint: "installers differ on symlinks, and one can point outside the target")
            ]
        default:
            return [
                Finding(
                    .specialFileEntry, entry: entry.name, "the entry is a device, FIFO or socket, not a regular file",
                    actual: "mode " + String(mode, radix: 8), hint: "a wheel may hold only regular files and folders")
            ]
        }
    }
}
