import CacheShard

/// An injective file name for a sample key (used by `cache export` and `run --dump`): bytes outside `A–Z a–z 0–9 _ - .`
/// become `%XX` (so `/` is `%2F` and `%` itself `%25`), a leading `.` is `%2E` (no hidden files, never `.` or `..`),
/// and the empty key is `%`. Distinct keys give distinct names, and no name can leave its folder. Names longer than
/// 200 bytes keep their first 180 bytes followed by `%~` and 16 hex digits of the key's SHA-256.
enum SafeFileName {
    /// The file name of a key.
    /// - Parameter key: The key.
    /// - Returns: The escaped name.
    static func escape(_ key: String) -> String {
        guard !key.isEmpty else { return "%" }
        var name = ""
        let hex = Array("0123456789ABCDEF")
        for (position, byte) in key.utf8.enumerated() {
            let plain = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2D || (byte == 0x2E && position > 0)
            if plain {
                name.append(Character(Unicode.Scalar(byte)))
            } else {
                name += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 15)])
            }
        }
        guard name.utf8.count > 200 else { return name }
        var cut = name.index(name.startIndex, offsetBy: 180)
        // Do not split an escape: back up to before a '%' within the last two characters.
        for back in 1...2 where name[name.index(cut, offsetBy: -back)] == "%" { cut = name.index(cut, offsetBy: -back) }
        let digest = SHA256.digest(Array(key.utf8)).description.prefix(16)
        return String(name[..<cut]) + "%~" + digest
    }
}
