/// POSIX pax extended-header records: `"<length> <key>=<value>\n"`, where `length` counts the whole record
/// including its own digits.
public struct PAXRecords: Sendable, Equatable {
    /// The records, in order; a later record with the same key overrides an earlier one.
    public var records: [(key: String, value: String)]

    /// Creates a set of records.
    /// - Parameter records: Key/value pairs in order.
    public init(_ records: [(key: String, value: String)] = []) {
        self.records = records
    }

    /// The last value recorded for `key`, or nil.
    public subscript(key: String) -> String? {
        records.last(where: { $0.key == key })?.value
    }

    /// Whether there are no records.
    public var isEmpty: Bool { records.isEmpty }

    /// Adds the records of `other`, replacing records with the same key (so `other` wins, and repeated global
    /// headers do not pile up).
    /// - Parameter other: Records to add.
    public mutating func merge(_ other: PAXRecords) {
        let replaced = Set(other.records.map(\.key))
        records.removeAll { replaced.contains($0.key) }
        records += other.records
    }

    /// Decodes the data of a pax `x` or `g` member.
    ///
    /// Trailing NUL padding is ignored. Keys and values are decoded as UTF-8 (invalid sequences become U+FFFD).
    /// - Parameter data: The member's data.
    /// - Returns: The records.
    /// - Throws: `TarError.Kind.badPAXRecord` when a length is missing or wrong, a record lacks `=` or its final newline.
    public static func decode(_ data: [UInt8]) throws(TarError) -> PAXRecords {
        var records: [(key: String, value: String)] = []
        var position = 0
        while position < data.count {
            if data[position...].allSatisfy({ $0 == 0 }) { break }
            var cursor = position
            var length = 0
            while cursor < data.count, let digit = decimalDigit(data[cursor]) {
                guard length < 1 << 40 else { break }
                length = length * 10 + digit
                cursor += 1
            }
            guard cursor > position, cursor < data.count, data[cursor] == UInt8(ascii: " ") else {
                throw TarError(.badPAXRecord, "pax record at \(position) has no length")
            }
            let end = position + length
            guard length > cursor - position + 1, end <= data.count, data[end - 1] == UInt8(ascii: "\n") else {
                throw TarError(.badPAXRecord, "pax record at \(position) has a wrong length \(length)")
            }
            let body = data[(cursor + 1)..<(end - 1)]
            guard let equals = body.firstIndex(of: UInt8(ascii: "=")), equals > body.startIndex else {
                throw TarError(.badPAXRecord, "pax record at \(position) has no key=value")
            }
            let key = String(decoding: body[..<equals], as: UTF8.self)
            let value = String(decoding: body[(equals + 1)...], as: UTF8.self)
            records.append((key, value))
            position = end
        }
        return PAXRecords(records)
    }

    /// Encodes the records as the data of a pax `x` or `g` member.
    /// - Returns: The bytes, one record per line.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        for (key, value) in records {
            let payload = 3 + key.utf8.count + value.utf8.count  // " " + key + "=" + value + "\n"
            var length = payload + 1
            while String(length).utf8.count + payload != length {
                length = String(length).utf8.count + payload
            }
            bytes += Array(String(length).utf8)
            bytes.append(UInt8(ascii: " "))
            bytes += Array(key.utf8)
            bytes.append(UInt8(ascii: "="))
            bytes += Array(value.utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    /// Whether both hold the same records in the same order.
    public static func == (lhs: PAXRecords, rhs: PAXRecords) -> Bool {
        lhs.records.elementsEqual(rhs.records) { $0.key == $1.key && $0.value == $1.value }
    }

    private static func decimalDigit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
