internal import TOMLKit

/// The kind of a TOML value, as an error message names it: `a string`, `an integer`, `a table`.
public enum TOMLValueKind: String, Sendable, Hashable, CustomStringConvertible {
    case table = "a table"
    case array = "an array"
    case string = "a string"
    case integer = "an integer"
    case float = "a float"
    case boolean = "a boolean"
    case dateOrTime = "a date or time"

    init(_ type: TOMLType) {
        switch type {
        case .table: self = .table
        case .array: self = .array
        case .string: self = .string
        case .int: self = .integer
        case .double: self = .float
        case .bool: self = .boolean
        case .date, .time, .dateTime: self = .dateOrTime
        }
    }

    /// The kind with its article, as it follows "found" in a message.
    public var description: String { rawValue }
}
