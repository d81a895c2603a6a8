import PurewheelBasics
import WheelModel

/// A recipe's text and its lock's text, written side by side (`x.toml`, `x.lock`) as purewheel reads them.
public struct RecipeFiles: Sendable {
    /// The recipe TOML.
    public var recipe: String
    /// The lock TOML.
    public var lock: String

    /// A recipe with a lock pinning `pins` (file name, sha256) of `distribution`, each under the version its
    /// file name gives.
    public init(recipe: String, distribution: String, pins: [(String, SHA256Digest)]) {
        self.recipe = recipe
        var byVersion = [(String, [(String, SHA256Digest)])]()
        for pin in pins.sorted(by: { $0.0 < $1.0 }) {
            let version = (try? WheelFilename(parsing: pin.0).version) ?? "0"
            if let index = byVersion.firstIndex(where: { $0.0 == version }) {
                byVersion[index].1.append(pin)
            } else {
                byVersion.append((version, [pin]))
            }
        }
        var lock = "schema = 1\ndistribution = \"\(distribution)\"\n"
        for (version, files) in byVersion {
            lock += "\n[versions.\"\(version)\"]\n" + files.map { "\"\($0.0)\" = \"\($0.1.hex)\"\n" }.joined()
        }
        self.lock = lock
    }

    /// The smallest valid recipe text for `demo` → `demo-pure` (`py3-none-any`), with `steps` (top-level step
    /// keys such as `strip = [...]`, or nothing) before its tables.
    public static func minimalDemoRecipe(steps: String = "") -> String {
        """
        schema = 1
        \(steps)
        [source]
        distribution = "demo"
        canonical_platform = "linux"
        [output]
        distribution = "demo-pure"
        tag = "py3-none-any"
        [metadata]
        summary = "Pure demo"

        """
    }

    /// Writes the recipe to `recipePath` and the lock beside it.
    public func write(to recipePath: String) throws {
        try TemporaryDirectory.write(recipe, to: recipePath)
        let base = recipePath.hasSuffix(".toml") ? String(recipePath.dropLast(5)) : recipePath
        try TemporaryDirectory.write(lock, to: base + ".lock")
    }

    /// The same files with `target` replaced in the recipe.
    public func replacingOccurrences(of target: String, with replacement: String) -> RecipeFiles {
        var copy = self
        copy.recipe = copy.recipe.replacingOccurrences(of: target, with: replacement)
        return copy
    }

    /// The same files with `text` appended to the recipe.
    public static func + (files: RecipeFiles, text: String) -> RecipeFiles {
        var copy = files
        copy.recipe += text
        return copy
    }
}
