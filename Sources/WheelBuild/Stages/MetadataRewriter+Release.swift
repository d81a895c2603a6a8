import FoundationEssentials
import PurewheelBasics
import RecipeFormat
import WheelModel

/// The recipe's release fields (`metadata_version`, `license_expression`, `license_files`, `classifiers`,
/// `project_urls`, `import_names`), applied to METADATA after the identity fields.
///
/// Each edit replaces fields where upstream had them, so upstream's field order is kept; a field upstream lacks goes
/// right after the last field of its kind, or at the end of the headers, in the fixed order of this function.
extension MetadataRewriter {
    func applyReleaseFields(to headers: inout HeaderFields) {
        let edits = recipe.metadata
        if let version = edits.metadataVersion { headers.set("Metadata-Version", to: version) }
        if let expression = edits.licenseExpression {
            // PEP 639: License-Expression replaces the legacy License field; both at once is refused by PyPI.
            if let index = headers.fields.firstIndex(where: { $0.name.lowercased() == "license" }) {
                headers.fields[index] = HeaderFields.Field(name: "License-Expression", value: expression)
                headers.remove("License")
            }
            Self.replace("License-Expression", in: &headers, with: [expression])
            // The field a `Dynamic: license` names is gone.
            headers.remove("Dynamic") { $0.trimmingWhitespace().lowercased() == "license" }
        }
        if let files = edits.licenseFiles { Self.replace("License-File", in: &headers, with: files) }
        var classifiers = [String]()
        var firstClassifier: Int?
        for (index, field) in headers.fields.enumerated() where field.name.lowercased() == "classifier" {
            firstClassifier = firstClassifier ?? index
            if !classifierEdits.remove.contains(where: { $0.glob.matches(field.value) }) { classifiers.append(field.value) }
        }
        for added in classifierEdits.add where !classifiers.contains(added) { classifiers.append(added) }
        Self.replace("Classifier", in: &headers, with: classifiers)
        if !edits.projectURLs.isEmpty {
            let kept = headers.all("Project-URL")
            Self.replace("Project-URL", in: &headers, with: kept + edits.projectURLs.filter { !kept.contains($0) })
        }
        if !edits.importNames.isEmpty { Self.replace("Import-Name", in: &headers, with: edits.importNames) }
    }

    /// Replaces every `name` field by `values`, at the place of the first one, or at the end when there is none.
    private static func replace(_ name: String, in headers: inout HeaderFields, with values: [String]) {
        let key = name.lowercased()
        let position = headers.fields.firstIndex { $0.name.lowercased() == key } ?? headers.fields.count
        headers.fields.removeAll { $0.name.lowercased() == key }
        headers.fields.insert(contentsOf: values.map { HeaderFields.Field(name: name, value: $0) }, at: min(position, headers.fields.count))
    }
}
