import PurewheelBasics
import TOMLSchema

extension Lockfile {
    /// Reads a lock on its own, without its recipe, validated as `RecipeLoader` validates the lock beside a recipe.
    ///
    /// The distribution the pins must belong to is the lock's own `distribution` key, so every file name is checked
    /// against it. The text must be UTF-8: a lock is machine-written, and a replaced byte would change a pin's meaning.
    ///
    /// - Parameters:
    ///   - bytes: the file's bytes.
    ///   - path: the path named in errors.
    /// - Returns: the lock in canonical order.
    /// - Throws: `RecipeError` naming `path`: `.invalidValue` for text that is not UTF-8, `.syntax`, `.missingKey`,
    ///   `.wrongType`, `.unknownKey` or `.invalidValue` as for a recipe's lock.
    public static func parse(bytes: [UInt8], path: String) throws(RecipeError) -> Lockfile {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidValue(path: path, keyPath: "", reason: "the lock is not UTF-8 text")
        }
        var root = try RecipeLoader.parseTOML(text, path: path)
        guard let distribution = try root.string("distribution") else {
            throw .missingKey(path: path, keyPath: "distribution")
        }
        return try LockfileReader.parse(text, path: path, distribution: distribution)
    }
}
