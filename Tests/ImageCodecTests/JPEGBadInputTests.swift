import ImageCodec
import TestSupport
import Testing

/// Damaged and hostile JPEG input must produce the right typed error, never a crash, hang or huge allocation.
@Suite("JPEG bad input")
struct JPEGBadInputTests {
    static let valid: [UInt8] = {
        let image = JPEGFastPathTests.pattern(width: 96, height: 64)
        return try! JPEGEncoder.encode(image, quality: 85)  // swiftlint:disable:this force_try
    }()

    static func kind(of bytes: [UInt8], options: DecodeOptions = DecodeOptions()) -> ImageCodecError.Kind? {
        do {
            _ = try ImageDecoder.decode(bytes, options: options)
            return nil
        } catch {
            return error.kind
        }
    }

    @Test func emptyInputIsEmpty() {
        #expect(Self.kind(of: []) == .empty)
    }

    @Test func unknownMagicIsUnknownFormat() {
        #expect(Self.kind(of: Array("GIF89a not supported".utf8)) == .unknownFormat)
        #expect(Self.kind(of: [0x00, 0x01, 0x02]) == .unknownFormat)
    }

    @Test func truncationAnywhereAfterTheHeaderIsTruncated() {
        var kinds: [ImageCodecError.Kind: Int] = [:]
        for length in stride(from: 3, to: Self.valid.count - 2, by: 7) {
            let kind = Self.kind(of: Array(Self.valid.prefix(length)))
            #expect(kind != nil, "a JPEG cut at \(length) of \(Self.valid.count) bytes decoded without error")
            if let kind { kinds[kind, default: 0] += 1 }
        }
        // Cuts inside the entropy-coded data are reported as truncation (Pillow refuses them too).
        #expect((kinds[.truncated] ?? 0) > 0)
        #expect(Set(kinds.keys).isSubset(of: [.truncated, .corrupt]))
    }

    @Test func hugeDeclaredDimensionsAreRefusedBeforeDecoding() throws {
        // Patch the SOF0 frame header to 65000 × 65000 (4.2 Gpx): refused by the pixel limit, not by an allocation.
        var bytes = Self.valid
        let sof = try #require((0..<bytes.count - 1).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        bytes[sof + 5] = 0xFD; bytes[sof + 6] = 0xE8
        bytes[sof + 7] = 0xFD; bytes[sof + 8] = 0xE8
        #expect(Self.kind(of: bytes) == .tooLarge)
        let info = try ImageDecoder.info(bytes)
        #expect(info.width == 65000 && info.height == 65000)
        // A configurable limit applies to ordinary images too.
        #expect(Self.kind(of: Self.valid, options: DecodeOptions(maxPixels: 96 * 64 - 1)) == .tooLarge)
        #expect(Self.kind(of: Self.valid, options: DecodeOptions(maxPixels: 96 * 64)) == nil)
    }

    @Test func corruptMarkersGiveLibjpegsMessage() throws {
        var bytes = Self.valid
        let sof = try #require((0..<bytes.count - 1).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        bytes[sof + 9] = 7  // 7 components: libjpeg refuses
        do {
            _ = try ImageDecoder.decode(bytes)
            Issue.record("a JPEG with 7 components decoded")
        } catch {
            #expect(error.kind == .corrupt)
            #expect(error.format == .jpeg)
            #expect(!error.message.isEmpty)
            #expect(error.located("shard-000.tar:img.jpg").description.hasPrefix("shard-000.tar:img.jpg: jpeg corrupt: "))
        }
    }

    @Test func randomMutationsNeverCrash() {
        var generator = SplitMix64(seed: 0x5EED)
        let iterations = FuzzBudget.iterations(default: 400)
        var outcomes: [String: Int] = [:]
        for _ in 0..<iterations {
            let mutated = Mutator.mutate(Self.valid, using: &generator)
            let kind = Self.kind(of: mutated, options: DecodeOptions(maxPixels: 4_000_000))
            outcomes[kind.map { "\($0)" } ?? "decoded", default: 0] += 1
        }
        #expect(outcomes.values.reduce(0, +) == iterations)
        print("JPEG mutation fuzz: \(iterations) inputs, outcomes \(outcomes.sorted { $0.key < $1.key })")
    }

    /// Damaged JPEGs read band by band through `RegionRows` (the exact mode's streamed resize reads them so): every
    /// read ends in pixels or a damage error, never a crash, and whenever the whole-image decode succeeds the bands
    /// equal its crop (the same pixels, however the region is read).
    @Test func randomMutationsReadInBandsNeverCrashAndMatchTheWholeDecode() {
        var generator = SplitMix64(seed: 0xBA4D)
        let iterations = FuzzBudget.iterations(default: 400)
        var outcomes: [String: Int] = [:]
        for _ in 0..<iterations {
            let mutated = Mutator.mutate(Self.valid, using: &generator)
            let x = generator.below(48), y = generator.below(32)
            let region = PixelRegion(x: x, y: y, width: 1 + generator.below(96 - x), height: 1 + generator.below(64 - y))
            let options = DecodeOptions(maxPixels: 4_000_000, region: region)
            let bands: Result<[UInt8], ImageCodecError>
            do {
                bands = .success(try JPEGParityTests.readInBands(mutated, options: options, using: &generator))
            } catch let error as ImageCodecError {
                bands = .failure(error)
            } catch {
                Issue.record("not an ImageCodecError: \(error)")
                continue
            }
            switch bands {
            case .success(let pixels):
                outcomes["read", default: 0] += 1
                if let whole = try? ImageDecoder.decode(mutated, options: DecodeOptions(maxPixels: 4_000_000)),
                   region.fits(imageWidth: whole.width, imageHeight: whole.height) {
                    #expect(pixels == whole.cropped(to: region).pixels, "region \(region) read in bands")
                }
            case .failure(let error):
                outcomes["\(error.kind)", default: 0] += 1
                #expect(BadInput.damageKinds.union([.invalidArgument]).contains(error.kind), "\(error)")
            }
        }
        #expect(outcomes.values.reduce(0, +) == iterations)
        print("JPEG band-read mutation fuzz: \(iterations) inputs, outcomes \(outcomes.sorted { $0.key < $1.key })")
    }
}
