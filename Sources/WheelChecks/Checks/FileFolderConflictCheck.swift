/// PW213: a path that is a file in one entry and a folder of another (`demo` and `demo/x.py`).
///
/// No file system holds both, so every installer fails halfway through extracting such a wheel (pip and installer with an OS error, uv with
/// a conflict), leaving a partial install behind.
struct FileFolderConflictCheck {
    func run(_ wheel: WheelSnapshot) -> [Finding] {
        var reported = Set<String>()
        var findings = [Finding]()
        var previousParent: Substring.UTF8View?
        for entry in wheel.entries {
            // The folders checked depend only on the bytes before the last `/`; consecutive entries of one
            // folder would repeat the same lookups, which could find nothing new.
            guard let lastSlash = entry.name.utf8.lastIndex(of: UInt8(ascii: "/")) else { continue }
            let parent = Substring(entry.name)[..<lastSlash].utf8
            if let previousParent, parent.elementsEqual(previousParent) { continue }
            previousParent = parent
            let segments = entry.name.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            var folder = ""
            for segment in segments {
                folder += folder.isEmpty ? String(segment) : "/" + segment
                // A file of that name: names that are equal strings agree on the trailing `/`, so the first entry decides.
                guard let file = wheel.position(named: folder), !wheel.entries[file].isDirectory, reported.insert(folder).inserted
                else { continue }
                findings.append(
                    Finding(
                        .fileFolderConflict, entry: folder, "the path is a file and also the folder of another entry",
                        actual: "folder of \(entry.name)", hint: "installers fail halfway through; rename one of them"))
            }
        }
        return findings
    }
}
