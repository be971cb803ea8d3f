import Foundation
import Safetensors
import Testing
import TestSupport

/// The safetensors reader and writer against the reference library (`Tests/Peers/safetensors_peer.py`), hand-made
/// bad files for every refusal, and random mutations.
@Suite("Safetensors")
struct SafetensorsTests {
    struct Described: Decodable, Equatable {
        let dtype: String
        let shape: [Int]
        let values: [Double]
    }

    static func peer(_ arguments: [String]) throws -> Data { try PeerPython.run("safetensors_peer.py", arguments) }

    @Test func filesTheReferenceLibraryWritesReadExactly() throws {
        let directory = try TemporaryDirectory()
        let expected = try JSONDecoder().decode([String: [String: Described]].self, from: Self.peer(["write", directory.path("")]))
        var checked = 0
        for (file, tensors) in expected {
            let reader = try SafetensorsFile(path: directory.path("\(file).safetensors"))
            #expect(Set(reader.names) == Set(tensors.keys))
            for (name, want) in tensors {
                let info = try #require(reader.tensors[name])
                #expect(info.shape == want.shape, "\(name)")
                if ["int64", "float64"].contains(want.dtype) {
                    #expect(throws: SafetensorsError.self) { try reader.floats(name) }
                    continue
                }
                let got = try reader.floats(name, shape: want.shape)
                #expect(got.map(Double.init) == want.values, "\(file)/\(name): \(got) vs \(want.values)")
                checked += 1
            }
        }
        let mixed = try SafetensorsFile(path: directory.path("mixed.safetensors"))
        #expect(mixed.metadata == ["format": "pt", "note": "peer"])
        #expect(try mixed.floats("scalar") == [2.5] && mixed.tensors["scalar"]?.shape == [])
        #expect(checked == 6)
    }

    @Test func filesWeWriteTheReferenceLibraryReadsExactly() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("ours.safetensors")
        var generator = SystemRandomNumberGenerator()
        let tensors = [
            SafetensorsWriter.Tensor(name: "b.weight", shape: [3, 5], values: (0..<15).map { _ in Float.random(in: -2...2, using: &generator) }),
            SafetensorsWriter.Tensor(name: "a", shape: [], values: [Float.pi]),
            SafetensorsWriter.Tensor(name: "c.empty", shape: [0], values: []),
            SafetensorsWriter.Tensor(name: "d.extremes", shape: [4], values: [.greatestFiniteMagnitude, -.leastNonzeroMagnitude, -0.0, 1e-38]),
        ]
        try SafetensorsWriter.write(tensors, metadata: ["writer": "sgid"], to: path)
        let read = try JSONDecoder().decode([String: Described].self, from: Self.peer(["read", path]).removingMetadata())
        for tensor in tensors {
            #expect(read[tensor.name] == Described(dtype: "float32", shape: tensor.shape, values: tensor.values.map(Double.init)), "\(tensor.name)")
        }
        let again = try SafetensorsFile(path: path)
        for tensor in tensors { #expect(try again.floats(tensor.name) == tensor.values) }
        #expect(again.metadata == ["writer": "sgid"])
        #expect(throws: SafetensorsError.self) {
            try SafetensorsWriter.write([.init(name: "x", shape: [2], values: [1])], to: directory.path("bad.safetensors"))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path("bad.safetensors")))
    }

    @Test func halfAndBFloatConvertExactly() throws {
        // Every half-precision bit pattern against the hardware conversion.
        var bytes = [UInt8]()
        var expected = [Float]()
        for bits in 0...UInt16.max {
            withUnsafeBytes(of: bits.littleEndian) { bytes.append(contentsOf: $0) }
            expected.append(Float(Float16(bitPattern: bits)))
        }
        let file = try SafetensorsFile(bytes: Self.file(["h": ("F16", [65536], bytes)]), location: "halves")
        let got = try file.floats("h")
        #expect(zip(got, expected).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) })
        let bfloat = try SafetensorsFile(bytes: Self.file(["b": ("BF16", [2], [0x80, 0x3F, 0x49, 0xC0])]), location: "bf16")
        #expect(try bfloat.floats("b") == [1.0, -3.140625])
    }

    /// A file from entries (dtype, shape, data bytes), laid out back to back.
    static func file(_ entries: [String: (String, [Int], [UInt8])], header override: String? = nil, extra: [UInt8] = []) -> [UInt8] {
        var offset = 0
        var fields: [String] = []
        var data: [UInt8] = []
        for (name, entry) in entries.sorted(by: { $0.key < $1.key }) {
            fields.append("\"\(name)\":{\"dtype\":\"\(entry.0)\",\"shape\":\(entry.1),\"data_offsets\":[\(offset),\(offset + entry.2.count)]}")
            offset += entry.2.count
            data += entry.2
        }
        let header = Array((override ?? "{" + fields.joined(separator: ",") + "}").utf8)
        var bytes = [UInt8]()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes.append(contentsOf: $0) }
        return bytes + header + data + extra
    }

    static func refusal(_ bytes: [UInt8]) -> SafetensorsError? {
        do {
            _ = try SafetensorsFile(bytes: bytes, location: "crafted.safetensors")
            return nil
        } catch {
            return error
        }
    }

    @Test func badFilesAreRefusedNamingTheFileAndTensor() throws {
        let four: [UInt8] = [0, 0, 128, 63]
        let cases: [(String, [UInt8], SafetensorsError.Kind, String?)] = [
            ("short", [1, 2, 3], .truncated, nil),
            ("header past the end", [200, 0, 0, 0, 0, 0, 0, 0, 123], .truncated, nil),
            ("header above 100 MB", [0x01, 0xE1, 0xF5, 0x05, 0, 0, 0, 0] + [UInt8](repeating: 0x20, count: 16), .headerTooLarge, nil),
            ("not JSON", Self.file([:], header: "{\"a\": "), .malformedHeader, nil),
            ("not an object", Self.file([:], header: "[1, 2]"), .malformedHeader, nil),
            ("entry without offsets", Self.file([:], header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", extra: four), .malformedHeader, "w"),
            ("fractional shape", Self.file([:], header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", extra: four), .malformedHeader, "w"),
            ("negative offset", Self.file([:], header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", extra: four), .malformedHeader, "w"),
            ("bad metadata", Self.file([:], header: "{\"__metadata__\":{\"a\":1}}"), .malformedHeader, nil),
            ("unknown dtype", Self.file(["w": ("F12", [1], four)]), .unsupportedDtype, "w"),
            ("shape disagrees with bytes", Self.file(["w": ("F32", [2], four)]), .shapeMismatch, "w"),
            ("overflowing shape", Self.file(["w": ("F32", [Int.max / 2, 4], four)]), .shapeMismatch, "w"),
            ("data shorter than the offsets",
             Array(Self.file(["w": ("F32", [2], four + four)]).dropLast(2)), .badOffsets, "w"),
            ("data longer than the tensors", Self.file(["w": ("F32", [1], four)], extra: [9]), .badOffsets, nil),
            ("overlap", Self.file([:], header: "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                                  + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", extra: four + four), .badOffsets, "b"),
            ("gap", Self.file([:], header: "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                              + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", extra: four + four + four), .badOffsets, "b"),
        ]
        for (name, bytes, kind, tensor) in cases {
            let error = Self.refusal(bytes)
            #expect(error?.kind == kind, "\(name): \(String(describing: error))")
            #expect(error?.tensor == tensor, "\(name): \(String(describing: error))")
            #expect(error?.description.hasPrefix("crafted.safetensors") == true, "\(name)")
        }
        let good = try SafetensorsFile(bytes: Self.file(["w": ("F32", [1], four)]), location: "good")
        #expect(throws: SafetensorsError.self) { try good.floats("missing") }
        #expect(throws: SafetensorsError.self) { try good.floats("w", shape: [1, 1]) }
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(path: "/nonexistent/model.safetensors") }
    }

    @Test func randomMutationsGiveATypedErrorOrAReadableFile() throws {
        let original = try SafetensorsWriter.bytes([
            .init(name: "down_blocks.0.resnets.0.conv1.weight", shape: [2, 2, 3, 3], values: (0..<36).map { Float($0) / 7 }),
            .init(name: "time_embedding.linear_1.bias", shape: [3], values: [1, 2, 3]),
        ], metadata: ["format": "pt"])
        var generator = SplitMix64(seed: 20261204)
        let iterations = FuzzBudget.iterations(default: 3000)
        var readable = 0, refused = 0
        for _ in 0..<iterations {
            let mutated = generator.mutate(original)
            do {
                let file = try SafetensorsFile(bytes: mutated, location: "mutant")
                for name in file.names where file.tensors[name]?.dtype != nil { _ = try file.floats(name) }
                readable += 1
            } catch {
                refused += 1
            }
        }
        #expect(readable + refused == iterations && refused > iterations / 2)
        print("safetensors mutations: \(iterations) tried, \(refused) refused with a typed error, \(readable) readable, 0 crashes")
    }
}

extension Data {
    /// The peer's read output without its `__metadata__` entry (not a tensor).
    func removingMetadata() throws -> Data {
        var object = try #require(try JSONSerialization.jsonObject(with: self) as? [String: Any])
        object["__metadata__"] = nil
        return try JSONSerialization.data(withJSONObject: object)
    }
}

/// The byte mutator of the fuzz test.
extension SplitMix64 {
    /// Flips, overwrites, truncates, inserts, deletes, or rewrites a digit of the header.
    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + below(3)) where !bytes.isEmpty {
            let position = below(bytes.count)
            switch below(7) {
            case 0: bytes[position] ^= UInt8(1 << below(8))
            case 1: bytes[position] = [0x00, 0xFF, 0x7F, 0x80, 0x22, 0x7D, 0x2D][below(7)]
            case 2: bytes.removeSubrange(position...)
            case 3: bytes.insert(UInt8(truncatingIfNeeded: next()), at: position)
            case 4: bytes.remove(at: position)
            case 5:
                let digits = bytes.indices.filter { $0 >= 8 && $0 < 300 && (48...57).contains(bytes[$0]) }
                if !digits.isEmpty { bytes[digits[below(digits.count)]] = UInt8(48 + below(10)) }
            default: bytes[below(Swift.min(8, bytes.count))] = UInt8(truncatingIfNeeded: next())
            }
        }
        return bytes
    }
}
