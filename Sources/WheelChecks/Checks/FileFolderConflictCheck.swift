/// PW213: a path that is a file in one entry and a folder of another (`demo` and `demo/x.py`).
///
/// No file system holds both, so every installer fails halfway through extracting such a wheel (pip and installer with an OS error, uv with
/// a conflict), leaving a partial install behind.
struct FileFolderConflictCheck {
    func run(_ wheel: WheelSnapshot) -> [Finding] {
        let files = Set(wheel.entries.filter { !$0.isDirectory }.map(\.name))
        var reported = Set<String>()
        var findings = [Finding]()
        for entry in wheel.entries {
            let segments = entry.name.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            var folder = ""
            for segment in segments {
                folder += folder.isEmpty ? String(segment) : "/" + segment
                guard files.contains(folder), reported.insert(folder).inserted else { continue }
                findings.append(
                    Finding(
                        .fileFolderConflict, entry: folder, "the path is a file and also the folder of another entry",
                        actual: "folder of \(entry.name)", hint: "installers fail halfway through; rename one of them"))
            }
        }
        return findings
    }
}
