/// An environment variable whose value purewheel cannot use: a usage error (exit 64) naming the variable.
public enum EnvironmentError: PurewheelError, Equatable {
    /// `name` is set to `value`, which is not what it must be (`expected`).
    case invalidVariable(name: String, value: String, expected: String)

    /// Always `nil`: the variable is named in the message.
    public var location: SourceLocation? { nil }
    /// Always `.usage` (exit 64).
    public var category: FailureCategory { .usage }

    /// Which variable holds which value, and what it must be instead.
    public var message: String {
        switch self {
        case .invalidVariable(let name, let value, let expected):
            return "environment variable \(name)='\(value)' is not \(expected)"
        }
    }

    /// Tells the user to unset the variable or give it a valid value.
    public var hint: String? {
        switch self {
        case .invalidVariable(let name, _, _): return "unset \(name) or give it a valid value"
        }
    }
}
