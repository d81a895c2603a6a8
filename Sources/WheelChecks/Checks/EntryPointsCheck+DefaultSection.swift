extension EntryPointsCheck {
    /// PW650: a `[DEFAULT]` section in entry_points.txt, which readers disagree about.
    ///
    /// The entry points specification reads the file "as read by Python's configparser", for which `[DEFAULT]` is no
    /// group: its entries are added to every section. installer (`utils.parse_entrypoints`, `ConfigParser.items`) so
    /// creates each of them as a console script and a GUI script, and fails when both groups exist and it writes a
    /// launcher twice; warehouse validates them as script names; Python 3.8 and 3.9's `importlib.metadata` adds them to
    /// every plugin group. pip and uv, and `importlib.metadata` since 3.10, read a group named `DEFAULT` and create
    /// nothing. Which commands and plugins a wheel installs then depends on the tool, so this is an error.
    struct DefaultSection {
        /// The section name configparser treats as defaults (`DEFAULTSECT`), matched exactly as configparser does.
        static let title = "DEFAULT"

        /// The 1-based line of the first `[DEFAULT]` header.
        var line: Int?
        /// The entry names under `[DEFAULT]`, in file order.
        var names: [String] = []

        /// One finding when the section holds entries; an empty `[DEFAULT]` adds nothing for any reader.
        func findings(entry: String) -> [Finding] {
            guard let line, !names.isEmpty else { return [] }
            return [
                Finding(
                    .entryPointsDefaultSection, entry: entry,
                    "entry_points.txt line \(line): a [DEFAULT] section, whose entries configparser-based installers add to every group",
                    actual: String(names.joined(separator: ", ").prefix(200)),
                    hint: "move each entry into the group it belongs to, such as [console_scripts]; pip and uv ignore [DEFAULT]")
            ]
        }
    }
}
