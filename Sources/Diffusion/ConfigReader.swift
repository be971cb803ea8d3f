import Foundation

/// Reads the JSON object of a diffusers configuration file (`config.json`, `scheduler_config.json`) key by key,
/// with typed errors naming the file and key, and remembers which keys were read so that an unknown key can be
/// refused instead of silently building a different model.
struct ConfigReader {
    /// The class of JSON booleans (Foundation also bridges numbers to `Bool`, so `is Bool` cannot tell them apart).
    static let booleanType: Any.Type = type(of: NSNumber(value: true))

    static func isBoolean(_ value: Any?) -> Bool { value.map { type(of: $0) == booleanType } ?? false }

    let file: String
    let values: [String: Any]
    private(set) var read: Set<String> = []

    /// Parses a file.
    /// - Parameter file: The path.
    /// - Throws: `.missingFile` or `.badConfig`.
    init(file: String) throws(DiffusionError) {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw DiffusionError(.missingFile, "cannot be read", file: file)
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw DiffusionError(.badConfig, "is not JSON (\(error.localizedDescription))", file: file)
        }
        guard let values = object as? [String: Any] else { throw DiffusionError(.badConfig, "is not a JSON object", file: file) }
        self.file = file
        self.values = values
    }

    private func bad(_ key: String, _ expected: String) -> DiffusionError {
        DiffusionError(.badConfig, "'\(key)' must be \(expected), got \(values[key].map { "\($0)" } ?? "nothing")", file: file)
    }

    /// Whether the key is present with a non-null value.
    func has(_ key: String) -> Bool { values[key].map { !($0 is NSNull) } ?? false }

    mutating func integer(_ key: String, default fallback: Int? = nil) throws(DiffusionError) -> Int? {
        read.insert(key)
        guard has(key) else { return fallback }
        guard let number = values[key] as? NSNumber, !Self.isBoolean(values[key]),
              Double(number.intValue) == number.doubleValue else { throw bad(key, "an integer") }
        return number.intValue
    }

    mutating func number(_ key: String, default fallback: Double? = nil) throws(DiffusionError) -> Double? {
        read.insert(key)
        guard has(key) else { return fallback }
        guard let number = values[key] as? NSNumber, !Self.isBoolean(values[key]), number.doubleValue.isFinite else { throw bad(key, "a number") }
        return number.doubleValue
    }

    mutating func bool(_ key: String, default fallback: Bool) throws(DiffusionError) -> Bool {
        read.insert(key)
        guard has(key) else { return fallback }
        guard Self.isBoolean(values[key]), let value = values[key] as? Bool else { throw bad(key, "true or false") }
        return value
    }

    mutating func string(_ key: String, default fallback: String? = nil) throws(DiffusionError) -> String? {
        read.insert(key)
        guard has(key) else { return fallback }
        guard let value = values[key] as? String else { throw bad(key, "a string") }
        return value
    }

    mutating func strings(_ key: String, default fallback: [String]? = nil) throws(DiffusionError) -> [String]? {
        read.insert(key)
        guard has(key) else { return fallback }
        guard let value = values[key] as? [String] else { throw bad(key, "a list of strings") }
        return value
    }

    mutating func integers(_ key: String, default fallback: [Int]? = nil) throws(DiffusionError) -> [Int]? {
        read.insert(key)
        guard has(key) else { return fallback }
        guard let items = values[key] as? [Any] else { throw bad(key, "a list of integers") }
        var result: [Int] = []
        for item in items {
            guard let number = item as? NSNumber, !Self.isBoolean(item), Double(number.intValue) == number.doubleValue else {
                throw bad(key, "a list of integers")
            }
            result.append(number.intValue)
        }
        return result
    }

    mutating func numbers(_ key: String) throws(DiffusionError) -> [Double]? {
        read.insert(key)
        guard has(key) else { return nil }
        guard let items = values[key] as? [Any] else { throw bad(key, "a list of numbers") }
        var result: [Double] = []
        for item in items {
            guard let number = item as? NSNumber, !Self.isBoolean(item), number.doubleValue.isFinite else { throw bad(key, "a list of numbers") }
            result.append(number.doubleValue)
        }
        return result
    }

    /// Notes keys whose value does not change the computation (bookkeeping of diffusers).
    mutating func ignore(_ keys: String...) { read.formUnion(keys) }

    /// Refuses a value this runtime does not implement.
    func unsupported(_ key: String, _ value: Any, supported: String) -> DiffusionError {
        DiffusionError(.unsupported, "'\(key)' = \(value) is not supported by the native runtime (supported: \(supported))", file: file)
    }

    /// Refuses keys nobody read (underscore-prefixed bookkeeping such as `_class_name` excepted).
    func refuseUnknownKeys() throws(DiffusionError) {
        if let unknown = values.keys.sorted().first(where: { !$0.hasPrefix("_") && !read.contains($0) }) {
            throw DiffusionError(.unsupported, "unknown key '\(unknown)' (= \(values[unknown]!)): the native runtime does not know what "
                                 + "it changes, so it refuses the model rather than build a different one", file: file)
        }
    }
}
