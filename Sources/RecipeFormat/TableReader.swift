import TOMLSchema

/// Reads a recipe's or a lock's tables; its errors are `RecipeError`s naming the file.
typealias TableReader = TOMLTableReader<RecipeError>

extension RecipeError {
    /// The recipe error for a schema problem of the file at `path`.
    init(schema error: TOMLSchemaError, path: String) {
        switch error.problem {
        case .syntax(let line, let column, let reason): self = .syntax(path: path, line: line, column: column, reason: reason)
        case .missingKey: self = .missingKey(path: path, keyPath: error.keyPath)
        case .unknownKey: self = .unknownKey(path: path, keyPath: error.keyPath)
        case .wrongType(let expected, let actual):
            self = .wrongType(path: path, keyPath: error.keyPath, expected: expected, actual: actual.description)
        }
    }
}
