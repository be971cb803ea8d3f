import Augment
import Tar

/// Turns a sample's parts into a `Sample` following `WebDatasetOptions`.
struct WebDatasetSampleDecoder {
    /// A sample's JSON part and its members (nil when it is not a small JSON object).
    typealias ParsedJSON = (part: WebDatasetPart, members: [String: JSONValue]?)

    let options: WebDatasetOptions
    /// The shard URL as given (`__url__`).
    let url: String

    /// Decodes one sample.
    /// - Parameter sample: The grouped parts.
    /// - Returns: The sample, or nil when the peer drops it (a non-empty `__bad__` part).
    /// - Throws: `LoaderError.Kind.invalidSample` naming the shard, member, offset and key when the image is
    ///   missing or a label, caption or `.gz` part does not parse.
    func decode(_ sample: WebDatasetRawSample) throws(LoaderError) -> Sample? {
        if let bad = sample.parts.first(where: { $0.extensionName == "__bad__" }), !bad.data.isEmpty { return nil }
        var used = Set<String>()
        guard let (imagePart, image) = try lookup(options.imageExtensions, in: sample) else {
            let present = sample.parts.map(\.extensionName).joined(separator: ", ")
            let wanted = options.imageExtensions.joined(separator: ", ")
            throw LoaderError(.noImage, "no image part (looked for \(wanted); found \(present))",
                              location: url, member: sample.parts.first?.member,
                              offset: sample.parts.first.map { UInt64($0.offset) }, key: sample.key)
        }
        used.insert(imagePart.extensionName)
        let json = try jsonObject(sample)
        let (label, className) = try labelAndClass(sample, json: json, used: &used)
        let caption = try self.caption(sample, json: json, used: &used)
        let metadata = try self.metadata(sample, json: json, used: used)
        return Sample(key: sample.key, label: label, className: className, caption: caption, metadata: metadata,
                      source: SampleSource(url: url, path: imagePart.member), image: .encoded(image))
    }

    /// Lists one sample as webdataset iterates it, image or not: key, parts present, label where there is one.
    /// - Parameter sample: The grouped parts.
    /// - Returns: The listing, or nil when the peer drops the sample (a non-empty `__bad__` part).
    /// - Throws: `LoaderError` of kind `.invalidLabel` when a label part does not parse (or one is required and absent).
    func listing(_ sample: WebDatasetRawSample) throws(LoaderError) -> SampleListing? {
        if let bad = sample.parts.first(where: { $0.extensionName == "__bad__" }), !bad.data.isEmpty { return nil }
        var used = Set<String>()
        let json = try? jsonObject(sample)
        var (label, className) = try labelAndClass(sample, json: json, used: &used)
        if className == nil, case .string(let name)? = json?.members?["class"] { className = name }
        let image = options.imageExtensions.lazy.compactMap { wanted in
            sample.parts.first { $0.extensionName == wanted.lowercased() || $0.extensionName == wanted.lowercased() + ".gz" }
        }.first
        return SampleListing(key: sample.key, parts: sample.parts.map(\.extensionName), label: label, className: className,
                             source: SampleSource(url: url, path: (image ?? sample.parts.first)?.member ?? sample.key),
                             hasImage: image != nil)
    }

    /// The first extension present (exactly, or as `EXT.gz`, gunzipped), with its decoded bytes.
    private func lookup(_ extensions: [String],
                        in sample: WebDatasetRawSample) throws(LoaderError) -> (WebDatasetPart, [UInt8])? {
        for wanted in extensions {
            let name = wanted.lowercased()
            if let part = sample.parts.first(where: { $0.extensionName == name }) { return (part, part.data) }
            if let part = sample.parts.first(where: { $0.extensionName == name + ".gz" }) {
                return (part, try gunzip(part, key: sample.key))
            }
        }
        return nil
    }

    private func gunzip(_ part: WebDatasetPart, key: String) throws(LoaderError) -> [UInt8] {
        do {
            return try WebDatasetFieldParsing.gunzip(part.data, limit: options.tarOptions.maxMemberSize)
        } catch {
            throw invalid("cannot gunzip: \(error.message)", part, key: key)
        }
    }

    private func invalid(kind: LoaderError.Kind = .invalidSample, _ message: String, _ part: WebDatasetPart,
                         key: String) -> LoaderError {
        LoaderError(kind, message, location: url, member: part.member, offset: UInt64(part.offset), key: key)
    }

    /// The first JSON part parsed as an object, when a JSON field is asked for or metadata may use it.
    private func jsonObject(_ sample: WebDatasetRawSample) throws(LoaderError) -> ParsedJSON? {
        guard let (part, bytes) = try lookup(options.jsonExtensions, in: sample) else { return nil }
        let needed = options.labelJSONField != nil || options.captionJSONField != nil
        guard needed || bytes.count <= options.maxMetadataBytes else { return (part, nil) }
        guard case .object(let members)? = JSONValue.parse(bytes) else {
            if needed { throw invalid("the JSON part is not a JSON object", part, key: sample.key) }
            return (part, nil)
        }
        return (part, members)
    }

    private func labelAndClass(_ sample: WebDatasetRawSample, json: ParsedJSON?,
                               used: inout Set<String>) throws(LoaderError) -> (Int?, String?) {
        var label: Int?
        var className: String?
        if let (part, bytes) = try lookup(options.labelExtensions, in: sample) {
            guard let value = WebDatasetFieldParsing.pythonInteger(bytes) else {
                let preview = WebDatasetFieldParsing.preview(bytes)
                throw invalid(kind: .invalidLabel, "label is not an integer: \(preview)", part, key: sample.key)
            }
            used.insert(part.extensionName)
            label = value
        } else if let field = options.labelJSONField, let (part, members) = json, let value = members?[field] {
            guard let integer = value.labelValue else {
                throw invalid(kind: .invalidLabel, "JSON field '\(field)' is not an integer label: \(value.canonicalText)", part, key: sample.key)
            }
            label = integer
        } else if let nameExtension = options.classNameExtension,
                  let (part, bytes) = try lookup([nameExtension], in: sample) {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw invalid(kind: .invalidLabel, "class name is not UTF-8", part, key: sample.key)
            }
            let name = WebDatasetFieldParsing.trimmed(text)
            guard let index = options.classNames.firstIndex(of: name) else {
                throw invalid(kind: .invalidLabel, "class name '\(name)' is not in the class list (\(options.classNames.count) classes)",
                              part, key: sample.key)
            }
            used.insert(part.extensionName)
            label = index
            className = name
        }
        if label == nil, options.requiresLabel {
            let wanted = options.labelExtensions.joined(separator: ", ")
            throw LoaderError(.invalidLabel, "no label part (looked for \(wanted))",
                              location: url, member: sample.parts.first?.member,
                              offset: sample.parts.first.map { UInt64($0.offset) }, key: sample.key)
        }
        if className == nil, let label, options.classNames.indices.contains(label) {
            className = options.classNames[label]
        }
        return (label, className)
    }

    private func caption(_ sample: WebDatasetRawSample, json: ParsedJSON?,
                         used: inout Set<String>) throws(LoaderError) -> String? {
        if let (part, bytes) = try lookup(options.captionExtensions, in: sample) {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw invalid("caption is not UTF-8", part, key: sample.key)
            }
            used.insert(part.extensionName)
            return text
        }
        if let field = options.captionJSONField, let (part, members) = json, let value = members?[field] {
            guard case .string(let text) = value else {
                throw invalid("JSON field '\(field)' is not a string: \(value.canonicalText)", part, key: sample.key)
            }
            return text
        }
        return nil
    }

    /// JSON members under their names, then small UTF-8 parts under their extensions (these win on collisions).
    private func metadata(_ sample: WebDatasetRawSample, json: ParsedJSON?,
                          used: Set<String>) throws(LoaderError) -> [String: String] {
        var metadata: [String: String] = [:]
        var jsonExtension: String?
        if let (part, members) = json, let members {
            jsonExtension = part.extensionName
            for (name, value) in members { metadata[name] = value.metadataText }
        }
        let images = Set(options.imageExtensions.map { $0.lowercased() })
        for part in sample.parts where !used.contains(part.extensionName) && part.extensionName != jsonExtension {
            var name = part.extensionName
            var bytes = part.data
            if name.hasSuffix(".gz") {
                let limit = Int64(options.maxMetadataBytes)
                guard bytes.count <= options.maxMetadataBytes,
                      let inflated = try? WebDatasetFieldParsing.gunzip(bytes, limit: limit) else { continue }
                name.removeLast(3)
                bytes = inflated
            }
            guard !images.contains(name), bytes.count <= options.maxMetadataBytes,
                  let text = String(validating: bytes, as: UTF8.self) else { continue }
            metadata[name] = text
        }
        return metadata
    }
}

/// Parsing helpers for sample fields.
enum WebDatasetFieldParsing {
    /// Python's `int(bytes)`: ASCII whitespace around, an optional sign, decimal digits with single underscores
    /// between them. Values beyond 64 bits give nil.
    /// - Parameter bytes: The field's bytes.
    /// - Returns: The value, or nil.
    static func pythonInteger(_ bytes: [UInt8]) -> Int? {
        var body = bytes[...]
        while let first = body.first, isSpace(first) { body.removeFirst() }
        while let last = body.last, isSpace(last) { body.removeLast() }
        var negative = false
        if let sign = body.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            body.removeFirst()
        }
        guard let first = body.first, let last = body.last, isDigit(first), isDigit(last) else { return nil }
        var value = 0
        var previousUnderscore = false
        for byte in body {
            if byte == UInt8(ascii: "_") {
                if previousUnderscore { return nil }
                previousUnderscore = true
                continue
            }
            guard isDigit(byte) else { return nil }
            previousUnderscore = false
            let digit = Int(byte - UInt8(ascii: "0"))
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = negative ? times.subtractingReportingOverflow(digit)
                : times.addingReportingOverflow(digit)
            if overflowA || overflowB { return nil }
            value = sum
        }
        return value
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0d).contains(byte) }
    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

    /// Text without surrounding whitespace and newlines.
    static func trimmed(_ text: String) -> String {
        var slice = Substring(text)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }

    /// The start of a field for an error message.
    static func preview(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(40), as: UTF8.self)
        return "\"" + text.replacingNewlines() + (bytes.count > 40 ? "…" : "") + "\""
    }

    /// Inflates a gzip member (several members allowed), refusing more than `limit` bytes of output.
    /// - Parameters:
    ///   - bytes: The compressed bytes.
    ///   - limit: The largest output accepted.
    /// - Returns: The decompressed bytes.
    /// - Throws: `TarError` when the data is not gzip, is corrupt, or inflates beyond `limit`.
    static func gunzip(_ bytes: [UInt8], limit: Int64) throws(TarError) -> [UInt8] {
        guard bytes.count >= 2, bytes[0] == 0x1f, bytes[1] == 0x8b else {
            throw TarError(.decompression, "not gzip data")
        }
        let source = try GzipByteSource(MemoryByteSource(bytes))
        var output: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let count = try source.read(into: chunk)
            if count == 0 { break }
            guard Int64(output.count + count) <= limit else {
                throw TarError(.decompression, "gzip data inflates beyond \(limit) bytes")
            }
            output.append(contentsOf: chunk[0..<count])
        }
        return output
    }
}

private extension String {
    func replacingNewlines() -> String {
        String(unicodeScalars.map { $0 == "\n" ? "⏎" : Character($0) })
    }
}
