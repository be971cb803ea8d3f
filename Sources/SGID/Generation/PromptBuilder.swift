import Foundation

/// Builds a generation prompt from a sample's label text and caption (SGID's semantic guidance).
public struct PromptBuilder: Sendable, Hashable, Codable {
    /// Which parts guide the generation (the label-only and caption-only modes are for ablations).
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        /// Label and caption (SGID).
        case labelAndCaption = "label+caption"
        /// Label only (DA-Fusion style).
        case labelOnly = "label"
        /// Caption only.
        case captionOnly = "caption"
    }

    /// The template; `{label}` and `{caption}` are replaced.
    public var template: String
    /// Which parts are used.
    public var mode: Mode

    /// The default template, `a photo of a {label}, {caption}`.
    public static let defaultTemplate = "a photo of a {label}, {caption}"

    /// Creates a builder.
    /// - Parameters:
    ///   - template: The template with `{label}` and/or `{caption}`.
    ///   - mode: Which parts are used.
    public init(template: String = PromptBuilder.defaultTemplate, mode: Mode = .labelAndCaption) {
        self.template = template
        self.mode = mode
    }

    /// The prompt for a label text and caption. In label-only mode the caption (and the separator before it) is
    /// left out; in caption-only mode the caption alone is the prompt.
    /// - Parameters:
    ///   - label: The class's readable name (underscores become spaces).
    ///   - caption: The image's caption, if any.
    /// - Returns: The prompt.
    public func prompt(label: String, caption: String?) -> String {
        let readable = label.replacingOccurrences(of: "_", with: " ")
        let text = (caption ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        switch mode {
        case .captionOnly:
            return text.isEmpty ? readable : text
        case .labelOnly:
            return fill(label: readable, caption: nil)
        case .labelAndCaption:
            return fill(label: readable, caption: text.isEmpty ? nil : text)
        }
    }

    /// The label-only prompt, used for consistency scores and similarity-driven guidance.
    /// - Parameter label: The class's readable name.
    /// - Returns: `a photo of a <label>`-style text from the template without the caption.
    public func labelPrompt(label: String) -> String {
        fill(label: label.replacingOccurrences(of: "_", with: " "), caption: nil)
    }

    private func fill(label: String, caption: String?) -> String {
        var text = template.replacingOccurrences(of: "{label}", with: label)
        if let caption {
            text = text.replacingOccurrences(of: "{caption}", with: caption)
        } else {
            // Drop the caption placeholder with the punctuation that joins it to the rest.
            for joint in [", {caption}", " {caption}", "{caption}"] { text = text.replacingOccurrences(of: joint, with: "") }
        }
        return text.trimmingCharacters(in: .whitespaces)
    }
}
