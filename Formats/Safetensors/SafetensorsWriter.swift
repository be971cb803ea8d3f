import Foundation

/// Writes Float32 tensors as a safetensors file that `safetensors.torch.load_file` and diffusers read: tensors in
/// name order, back to back, the header padded with spaces so the data starts at a multiple of 8 bytes. The file is
/// written beside its destination under a fresh temporary name (created exclusively, never through a symlink) and
/// renamed over it, so a reader sees the old file or the whole new one.
public enum SafetensorsWriter {
    /// One tensor to write.
    public struct Tensor: Sendable {
        /// Its name.
        public var name: String
        /// Its shape.
        public var shape: [Int]
        /// Its values, row-major (`shape.product` of them).
        public var values: [Float]

        /// Creates a tensor.
        /// - Parameters:
        ///   - name: Its name.
        ///   - shape: Its shape.
        ///   - values: Its values.
        public init(name: String, shape: [Int], values: [Float]) {
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    /// The bytes of a file holding the tensors.
    /// - Parameters:
    ///   - tensors: The tensors (distinct names).
    ///   - metadata: `__metadata__` text fields.
    ///   - location: A name for errors.
    /// - Returns: The file's bytes.
    /// - Throws: `.invalidArgument` for duplicate names or values that do not fill a shape.
    public static func bytes(_ tensors: [Tensor], metadata: [String: String] = [:],
                             location: String = "safetensors") throws(SafetensorsError) -> [UInt8] {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let sorted = tensors.sorted { $0.name < $1.name }
        for (index, tensor) in sorted.enumerated() {
            if index > 0, sorted[index - 1].name == tensor.name {
                throw SafetensorsError(.invalidArgument, "two tensors share the name", file: location, tensor: tensor.name)
            }
            guard tensor.name != "__metadata__", tensor.shape.allSatisfy({ $0 >= 0 }),
                  tensor.shape.reduce(1, *) == tensor.values.count else {
                throw SafetensorsError(.invalidArgument, "\(tensor.values.count) values do not fill shape \(tensor.shape)",
                                       file: location, tensor: tensor.name)
            }
            header[tensor.name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + 4 * tensor.values.count]]
            offset += 4 * tensor.values.count
        }
        var json: [UInt8]
        do {
            json = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        } catch {
            throw SafetensorsError(.invalidArgument, "the header cannot be encoded: \(error)", file: location)
        }
        while (8 + json.count) % 8 != 0 { json.append(UInt8(ascii: " ")) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes += json
        for tensor in sorted {
            for value in tensor.values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        }
        return bytes
    }

    /// Writes the tensors to `path`, replacing it atomically.
    /// - Parameters:
    ///   - tensors: The tensors.
    ///   - metadata: `__metadata__` text fields.
    ///   - path: The destination.
    /// - Throws: `.invalidArgument` for bad tensors, `.io` when the file cannot be written.
    public static func write(_ tensors: [Tensor], metadata: [String: String] = [:], to path: String) throws(SafetensorsError) {
        let content = try bytes(tensors, metadata: metadata, location: path)
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SafetensorsError(.io, "cannot create \(temporary): \(String(cString: strerror(errno)))", file: path)
        }
        var written = 0
        let failure: Int32? = content.withUnsafeBytes { raw in
            while written < raw.count {
                let result = Foundation.write(descriptor, raw.baseAddress! + written, raw.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += result
            }
            return fsync(descriptor) == 0 ? nil : errno
        }
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw SafetensorsError(.io, "writing failed: \(String(cString: strerror(failure)))", file: path)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw SafetensorsError(.io, "cannot move the new file into place: \(reason)", file: path)
        }
    }
}
