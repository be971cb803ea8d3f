/// The element types this reader converts to `Float` (safetensors' dtype names). Other dtypes of the format (F64,
/// I64, U8, BOOL, …) are refused with `.unsupportedDtype`.
public enum SafetensorsDType: String, Sendable, Hashable, CaseIterable {
    /// IEEE 754 single precision.
    case f32 = "F32"
    /// IEEE 754 half precision.
    case f16 = "F16"
    /// bfloat16 (the upper half of a single-precision number).
    case bf16 = "BF16"

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        }
    }

    /// Converts little-endian elements to `Float`, exactly (every F16 and BF16 value is a Float).
    /// - Parameters:
    ///   - bytes: `count × byteCount` bytes.
    ///   - count: The number of elements.
    ///   - output: Receives `count` floats.
    func convert(_ bytes: UnsafeRawBufferPointer, count: Int, into output: UnsafeMutablePointer<Float>) {
        switch self {
        case .f32:
            for index in 0..<count {
                output[index] = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
            }
        case .bf16:
            for index in 0..<count {
                let bits = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))
                output[index] = Float(bitPattern: UInt32(bits) << 16)
            }
        case .f16:
            for index in 0..<count {
                output[index] = Self.halfToFloat(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self)))
            }
        }
    }

    /// An IEEE half-precision number as a `Float` (subnormals, infinities and NaNs included).
    /// - Parameter bits: The half's bits.
    /// - Returns: The same value.
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x03FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2^-24.
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
        }
    }
}
