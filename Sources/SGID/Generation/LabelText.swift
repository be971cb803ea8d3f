import Augment

/// The readable label of a sample for prompts: its class name (ImageFolder folder), a `class` metadata field, the
/// class list entry for its label, or the label number.
public enum LabelText {
    /// Resolves a sample's label text.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - classNames: Class names by label (from the dataset or a class-names file).
    /// - Returns: The text, or `nil` when the sample has no label at all.
    public static func of(_ sample: Sample, classNames: [String]) -> String? {
        if let name = sample.className, !name.isEmpty { return name }
        if let name = sample.metadata["class"], !name.isEmpty { return name }
        if let label = sample.label {
            return classNames.indices.contains(label) ? classNames[label] : String(label)
        }
        return nil
    }
}
