import PurewheelBasics

/// A recipe that cannot be read, does not parse, or does not validate.
public enum RecipeError: PurewheelError, Equatable {
    /// The recipe file itself does not exist.
    case recipeNotFound(path: String)
    /// The recipe or its lock exists but cannot be read (a folder, no permission, ...).
    case unreadable(FileSystemError)
    /// TOML syntax error, with TOMLKit's position.
    case syntax(path: String, line: Int, column: Int, reason: String)
    /// A key the schema does not define.
    case unknownKey(path: String, keyPath: String)
    /// A required key is absent.
    case missingKey(path: String, keyPath: String)
    /// A value has the wrong TOML type.
    case wrongType(path: String, keyPath: String, expected: String, actual: String)
    /// A value has the right type but is not acceptable.
    case invalidValue(path: String, keyPath: String, reason: String)
    /// A file the recipe names does not exist.
    case missingFile(path: String, keyPath: String, file: String)
    /// A file the recipe names resolves (`..`, an absolute path or a symbolic link) outside the recipe's folder.
    case fileOutsideRecipeFolder(path: String, keyPath: String, file: String, resolved: String)
    /// A file the recipe names is a FIFO, socket, device or folder, not a regular file.
    case notRegularFile(path: String, keyPath: String, file: String)
    /// The requested upstream version has no `[versions]` table.
    case unknownVersion(path: String, version: String, known: [String])

    /// Where the failure is: the recipe file, the recipe key, the lock, or the unreadable file.
    public var location: SourceLocation? {
        switch self {
        case .recipeNotFound(let path): return .file(path)
        case .unreadable(let error): return error.location
        case .syntax(let path, let line, _, _): return .recipe(path, keyPath: "", line: line)
        case .unknownKey(let path, let keyPath), .missingKey(let path, let keyPath),
            .wrongType(let path, let keyPath, _, _), .invalidValue(let path, let keyPath, _),
            .missingFile(let path, let keyPath, _), .fileOutsideRecipeFolder(let path, let keyPath, _, _),
            .notRegularFile(let path, let keyPath, _):
            return .recipe(path, keyPath: keyPath, line: nil)
        case .unknownVersion(let path, _, _): return .file(Recipe.lockPath(forRecipe: path))
        }
    }

    /// `.missingInput` for a recipe or named file that does not exist, the file error's kind for an unreadable one, `.recipe` otherwise.
    public var category: FailureCategory {
        switch self {
        case .recipeNotFound, .missingFile: return .missingInput
        case .unreadable(.notRegularFile): return .missingInput  // there is no recipe file to read
        case .unreadable(let error): return error.category
        default: return .recipe
        }
    }

    /// What is wrong, with the expected and actual type or the known versions where they apply.
    public var message: String {
        switch self {
        case .recipeNotFound: return "recipe not found"
        case .unreadable(let error): return error.message
        case .syntax(_, let line, let column, let reason): return "TOML syntax error at line \(line), column \(column): \(reason)"
        case .unknownKey: return "unknown key"
        case .missingKey: return "required key is missing"
        case .wrongType(_, _, let expected, let actual): return "expected \(expected), found \(actual)"
        case .invalidValue(_, _, let reason): return reason
        case .missingFile(_, _, let file): return "file \(file) does not exist"
        case .fileOutsideRecipeFolder(_, _, let file, let resolved):
            return "file \(file) is outside the recipe's folder" + (resolved == file ? "" : " (it resolves to \(resolved))")
        case .notRegularFile(_, _, let file): return "file \(file) is not a regular file"
        case .unknownVersion(_, let version, let known):
            return "version \(version) is not pinned (pinned: \(known.isEmpty ? "none" : known.joined(separator: ", ")))"
        }
    }

    /// What to do about an unknown key, a missing or outside file, or an unpinned version; `nil` otherwise.
    public var hint: String? {
        switch self {
        case .unknownKey: return "see recipes/README.md for the keys schema 1 defines"
        case .missingFile: return "paths in a recipe are relative to the recipe's folder"
        case .fileOutsideRecipeFolder:
            return "patches and inject sources must be inside the recipe's folder (symbolic links included); copy the file there"
        case .unknownVersion(let path, let version, _):
            return "run 'purewheel lock \(path) --upstream-version \(version)' to pin its upstream files"
        default: return nil
        }
    }
}
