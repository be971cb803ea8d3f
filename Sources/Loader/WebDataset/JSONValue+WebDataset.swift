import Augment

extension JSONValue {
    /// The value as metadata text: strings as they are, everything else as compact JSON (keys sorted).
    var metadataText: String {
        if case .string(let text) = self { return text }
        return canonicalText
    }

    /// The value as an integer label: an integral number, or a string holding one (as Python's `int()` reads it).
    var labelValue: Int? {
        if case .string(let text) = self { return WebDatasetFieldParsing.pythonInteger(Array(text.utf8)) }
        return integerValue
    }
}
