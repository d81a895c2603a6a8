/// PW8xx warnings: content that installs but should not ship — compiled bytecode (installers compile their
/// own, and stale `.pyc` files shadow sources) and files outside the packages `top_level.txt` declares.
struct HygieneCheck {
    func run(_ wheel: WheelSnapshot) -> [Finding] {
        var findings = [Finding]()
        for entry in wheel.entries where !entry.isDirectory && Self.isBytecode(entry) {
            findings.append(
                Finding(
                    .bytecode, entry: entry.name, "compiled bytecode in the wheel",
                    hint: "installers compile bytecode themselves; leave it out of the wheel"))
        }
        findings += topLevelFindings(wheel)
        findings += signatureFindings(wheel)
        return findings
    }

    /// PEP 815 withdrew wheel signatures: tools MUST NOT add `RECORD.jws` or `RECORD.p7s`, and nothing verifies them.
    private func signatureFindings(_ wheel: WheelSnapshot) -> [Finding] {
        let signatureNames = Set(wheel.distInfoDirectories.flatMap { ["\($0)/RECORD.jws", "\($0)/RECORD.p7s"] })
        guard !signatureNames.isEmpty else { return [] }
        return wheel.entries.filter { signatureNames.contains($0.name) }.map { entry in
            Finding(
                .recordSignature, entry: entry.name, "the wheel carries a RECORD signature, which no installer verifies",
                hint: "leave it out; sign releases with index attestations (PEP 740) instead")
        }
    }

    /// A `.pyc`/`.pyo` file or anything under `__pycache__`.
    static func isBytecode(_ entry: WheelEntry) -> Bool {
        let name = entry.name.utf8
        return NameBytes.hasLowercasedSuffix(name, ".pyc") || NameBytes.hasLowercasedSuffix(name, ".pyo")
            || NameBytes.hasSegment(name, "__pycache__")
    }

    /// The name `top_level.txt` would declare for an entry, `nil` for `.dist-info` and `.data` entries.
    static func moduleName(_ entry: WheelEntry) -> String? {
        let name = Substring(entry.name).utf8
        let top = NameBytes.firstPiece(name, UInt8(ascii: "/")) ?? name
        if top.count >= 10, top.suffix(10).elementsEqual(".dist-info".utf8) { return nil }
        if top.count >= 5, top.suffix(5).elementsEqual(".data".utf8) { return nil }
        let isFile = !name.contains(UInt8(ascii: "/"))
        return String(Substring(isFile ? NameBytes.firstPiece(top, UInt8(ascii: ".")) ?? top : top))
    }

    /// Only when `top_level.txt` exists: it is setuptools' declaration of the importable top-level names.
    private func topLevelFindings(_ wheel: WheelSnapshot) -> [Finding] {
        guard let distInfo = wheel.distInfo, let bytes = wheel.smallFile("\(distInfo)/top_level.txt") else { return [] }
        let declared = Set(
            String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.split(separator: "/").first.map(String.init) ?? "" }.filter { !$0.isEmpty })
        guard !declared.isEmpty else { return [] }
        var findings = [Finding]()
        for entry in wheel.entries where !entry.isDirectory {
            guard let moduleName = Self.moduleName(entry) else { continue }
            if !declared.contains(moduleName) {
                findings.append(
                    Finding(
                        .outsideTopLevel, entry: entry.name, "the file is outside the top-level packages top_level.txt declares",
                        expected: declared.sorted().joined(separator: ", "), actual: moduleName))
            }
        }
        return findings
    }
}
