import ImageCodec

extension Image {
    /// A new byte array of `count` bytes that `fill` writes completely from this image's pixels, without zeroing it
    /// first: the shared frame of the loops that turn one image into another.
    /// - Parameters:
    ///   - count: Bytes of the result.
    ///   - fill: Reads the pixels (`input`) and writes every one of the `count` bytes at `output`. Not called when
    ///     either buffer is empty.
    /// - Returns: The bytes (empty when the image or the result is).
    func filledPixels(count: Int,
                      _ fill: (_ input: UnsafePointer<UInt8>, _ output: UnsafeMutablePointer<UInt8>) -> Void) -> [UInt8] {
        pixels.withUnsafeBufferPointer { source in
            [UInt8](unsafeUninitializedCapacity: count) { target, initialized in
                initialized = 0
                guard let input = source.baseAddress, let output = target.baseAddress else { return }
                fill(input, output)
                initialized = count
            }
        }
    }
}
