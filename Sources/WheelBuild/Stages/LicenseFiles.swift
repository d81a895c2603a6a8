import RecipeFormat

/// Where the recipe's `license_files` go: PEP 639 puts each `License-File` under `.dist-info/licenses/`, while wheels
/// built before it keep the file directly in `.dist-info/`.
enum LicenseFiles {
    /// The moves (path relative to `.dist-info/` → new relative path) that put every listed file under `licenses/`.
    ///
    /// - Throws: `.build(.licenseFileMissing)` when a listed file is in neither place.
    static func moves(recipe: Recipe, contents: WheelContents) throws(PipelineError.Cause) -> [String: String] {
        var moves = [String: String]()
        for (index, file) in (recipe.metadata.licenseFiles ?? []).enumerated() {
            let folder = contents.distInfoDirectory
            if contents.entry("\(folder)/licenses/\(file)") != nil { continue }
            guard contents.entry("\(folder)/\(file)") != nil else {
                throw .build(.licenseFileMissing(recipe: recipe.path, keyPath: "metadata.license_files[\(index)]", file: file))
            }
            moves[file] = "licenses/\(file)"
        }
        return moves
    }
}
