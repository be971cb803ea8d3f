import ImageCodec
import TestSupport
import Testing

/// Damaged and hostile PNG input gives the right typed error, never a crash, hang or giant allocation.
@Suite("PNG bad input")
struct PNGBadInputTests {
    static let valid: [UInt8] = {
        let image = PNGEncoderTests.pattern(width: 40, height: 30, channels: 3)
        return try! PNGEncoder.encode(image)  // swiftlint:disable:this force_try
    }()

    static func kind(of bytes: [UInt8], options: DecodeOptions = DecodeOptions()) -> ImageCodecError.Kind? {
        do {
            _ = try ImageDecoder.decode(bytes, options: options)
            return nil
        } catch {
            return error.kind
        }
    }

    /// A PNG chunk CRC (the standard CRC-32), for patching headers.
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func patchedIHDR(width: UInt32, height: UInt32) -> [UInt8] {
        var bytes = valid
        for (offset, value) in [(16, width), (20, height)] {
            for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (24 - 8 * index)) }
        }
        let crc = crc32(bytes[12..<29])
        for index in 0..<4 { bytes[29 + index] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * index)) }
        return bytes
    }

    @Test func emptyInputIsEmpty() {
        #expect(Self.kind(of: []) == .empty)
    }

    @Test func truncationAnywhereBeforeTheEndIsTruncated() {
        // The last 12 bytes are IEND, which the decoder does not need (Pillow does not either).
        for length in 8..<(Self.valid.count - 12) {
            let kind = Self.kind(of: Array(Self.valid.prefix(length)))
            #expect(kind == .truncated, "a PNG cut at \(length) of \(Self.valid.count) bytes gave \(String(describing: kind))")
        }
        #expect(Self.kind(of: Array(Self.valid.prefix(Self.valid.count - 12))) == nil)
    }

    @Test func flippedBytesAreCorrupt() {
        // Flipping any byte inside IHDR or IDAT breaks that chunk's CRC.
        for position in stride(from: 12, to: Self.valid.count - 12, by: 5) {
            var bytes = Self.valid
            bytes[position] ^= 0x10
            let kind = Self.kind(of: bytes)
            #expect(kind == .corrupt || kind == .truncated,
                    "flipping byte \(position) gave \(String(describing: kind))")
        }
    }

    @Test func hugeDeclaredDimensionsAreRefusedBeforeDecoding() throws {
        let bytes = Self.patchedIHDR(width: 100_000, height: 100_000)
        #expect(Self.kind(of: bytes) == .tooLarge)
        let info = try ImageDecoder.info(bytes)
        #expect(info.width == 100_000 && info.height == 100_000)
        #expect(Self.kind(of: Self.patchedIHDR(width: 0x7FFF_FFFF, height: 0x7FFF_FFFF)) == .tooLarge)
        #expect(Self.kind(of: Self.patchedIHDR(width: 0, height: 10)) == .corrupt)
        #expect(Self.kind(of: Self.valid, options: DecodeOptions(maxPixels: 40 * 30 - 1)) == .tooLarge)
    }

    @Test func regionIsCroppedFromTheFullDecode() throws {
        let full = try ImageDecoder.decode(Self.valid)
        let region = PixelRegion(x: 3, y: 5, width: 11, height: 7)
        let part = try ImageDecoder.decode(Self.valid, options: DecodeOptions(region: region))
        #expect(part == full.cropped(to: region))
        #expect(Self.kind(of: Self.valid, options: DecodeOptions(region: PixelRegion(x: 35, y: 0, width: 10, height: 5)))
                == .invalidArgument)
    }

    @Test func randomMutationsNeverCrash() {
        var generator = SplitMix64(seed: 0x504E47)
        var kinds: [ImageCodecError.Kind: Int] = [:]
        for _ in 0..<FuzzBudget.iterations(default: 400) {
            let bytes = Mutator.mutate(Self.valid, using: &generator)
            if let kind = Self.kind(of: bytes) { kinds[kind, default: 0] += 1 }
        }
        #expect(Set(kinds.keys).isSubset(of: [.truncated, .corrupt, .unknownFormat, .tooLarge, .empty]), "\(kinds)")
    }
}
