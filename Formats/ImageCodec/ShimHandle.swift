import CodecShims

/// A decoder object owned by a C shim (libjpeg, libpng, libtiff), released with the shim's close function when this
/// wrapper goes away, so every exit path frees it.
final class ShimHandle {
    /// The shim's object.
    let pointer: OpaquePointer
    private let close: (OpaquePointer) -> Void
    private let lastMessage: (OpaquePointer) -> UnsafePointer<CChar>?

    /// Wraps a shim object.
    /// - Parameters:
    ///   - pointer: The object.
    ///   - close: The shim's close function.
    ///   - message: The shim's last-message function.
    init(_ pointer: OpaquePointer, close: @escaping (OpaquePointer) -> Void,
         message: @escaping (OpaquePointer) -> UnsafePointer<CChar>?) {
        self.pointer = pointer
        self.close = close
        lastMessage = message
    }

    deinit { close(pointer) }

    /// The message of the shim's last failure on this object.
    var message: String { lastMessage(pointer).map { String(cString: $0) } ?? "" }
}

extension ImageCodecError {
    /// Maps a shim status code (`SGID_ERR_*`) and message to an error.
    /// - Parameters:
    ///   - code: The status code.
    ///   - format: The format being decoded.
    ///   - library: The library's name, for an empty message.
    ///   - message: The shim's message.
    /// - Returns: The error.
    static func shim(code: Int32, format: ImageFormat, library: String, message: String) -> ImageCodecError {
        let kind: ImageCodecError.Kind = switch code {
        case SGID_ERR_TRUNCATED: .truncated
        case SGID_ERR_UNSUPPORTED: .unsupported
        case SGID_ERR_ARGUMENT: .invalidArgument
        default: .corrupt
        }
        return ImageCodecError(kind, format: format, message.isEmpty ? "\(library) failed (code \(code))" : message)
    }
}
