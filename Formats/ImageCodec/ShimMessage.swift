/// Turns a NUL-terminated message buffer filled by a C shim into a String.
/// - Parameter buffer: The buffer (any bytes after the first NUL are ignored).
/// - Returns: The message, decoded as UTF-8 with invalid bytes replaced.
func shimMessage(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
