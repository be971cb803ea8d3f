import ArgumentParsing

/// The `--out` pattern of `sgid shards create`, parsed here rather than handed to `printf` (a user's `%s` there read
/// memory it should not): literal text with exactly one integer field `%d`, `%Nd` or `%0Nd` (width N ≤ 20), and `%%`
/// for a literal percent sign; anything else is refused.
struct ShardNamePattern {
    /// Text before the field.
    let prefix: String
    /// Text after the field.
    let suffix: String
    /// The field's minimum width.
    let width: Int
    /// Whether the field is padded with zeros (else spaces).
    let zeroPadded: Bool

    /// Parses a pattern.
    /// - Parameter pattern: E.g. `out/train-%06d.tar`.
    /// - Throws: `UsageError` naming what is wrong.
    init(_ pattern: String) throws {
        var prefix = "", suffix = "", width = 0, zeroPadded = false, fields = 0
        var characters = Array(pattern)[...]
        while let character = characters.popFirst() {
            guard character == "%" else {
                if fields == 0 { prefix.append(character) } else { suffix.append(character) }
                continue
            }
            if characters.first == "%" {
                characters.removeFirst()
                if fields == 0 { prefix.append("%") } else { suffix.append("%") }
                continue
            }
            if characters.first == "0" {
                zeroPadded = true
                characters.removeFirst()
            }
            var digits = ""
            while let digit = characters.first, digit.isASCII, digit.isNumber {
                digits.append(digit)
                characters.removeFirst()
            }
            guard characters.popFirst() == "d", digits.count <= 2, (Int(digits) ?? 0) <= 20 else {
                throw UsageError("--out: only one integer field %d, %6d or %06d (width up to 20) and %% are allowed, got '\(pattern)'")
            }
            width = Int(digits) ?? 0
            fields += 1
            guard fields == 1 else { throw UsageError("--out must contain exactly one integer field such as %06d, got '\(pattern)'") }
        }
        guard fields == 1 else { throw UsageError("--out must contain exactly one integer field such as %06d, got '\(pattern)'") }
        self.prefix = prefix
        self.suffix = suffix
        self.width = width
        self.zeroPadded = zeroPadded
    }

    /// The path of shard `number` (≥ 0).
    /// - Parameter number: The shard number.
    /// - Returns: The path.
    func path(_ number: Int) -> String {
        let digits = String(number)
        let padding = String(repeating: zeroPadded ? "0" : " ", count: max(0, width - digits.count))
        return prefix + padding + digits + suffix
    }
}
