import Foundation
import ImageCodec
import Testing
import TestSupport

/// `sgid version` and `sgid decode` run as a user runs them: as a separate process.
@Suite("sgid decode and version")
struct DecodeCommandTests {
    let sgid = BuiltProducts.path("sgid")

    static func photo() throws -> [UInt8] {
        var image = Image(width: 120, height: 90, channels: 3)
        for y in 0..<90 { for x in 0..<120 { for c in 0..<3 { image[x, y, c] = UInt8((x * (c + 1) + y * 2) % 256) } } }
        return try JPEGEncoder.encode(image, quality: 90)
    }

    @Test func versionPrintsTheVersion() throws {
        let run = try ProgramRun.run(sgid, ["version"])
        #expect(run.status == 0)
        #expect(run.output.hasPrefix("sgid "))
    }

    @Test func decodeWritesAPNGThatDecodesToTheSamePixels() throws {
        let directory = try TemporaryDirectory()
        let jpeg = try Self.photo()
        try Data(jpeg).write(to: directory.url.appendingPathComponent("in.jpg"))
        let run = try ProgramRun.run(sgid, ["decode", directory.path("in.jpg"), directory.path("out.png")])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("\"format\":\"jpeg\""))
        let png = [UInt8](try Data(contentsOf: directory.url.appendingPathComponent("out.png")))
        #expect(ImageFormat.sniff(png) == .png)
        #expect(try ImageDecoder.decode(png) == ImageDecoder.decode(jpeg))
    }

    @Test func decodeHonoursMinSizeAndRegion() throws {
        let directory = try TemporaryDirectory()
        try Data(Self.photo()).write(to: directory.url.appendingPathComponent("in.jpg"))
        let scaled = try ProgramRun.run(sgid, ["decode", directory.path("in.jpg"), directory.path("s.png"), "--min-size", "30x20"])
        #expect(scaled.status == 0, "\(scaled.errors)")
        #expect(scaled.output.contains("\"scale\":\"1/4\""))
        #expect(scaled.output.contains("\"width\":30,\"height\":23"))
        let region = try ProgramRun.run(sgid, ["decode", directory.path("in.jpg"), directory.path("r.png"),
                                               "--region", "10,20,30,40", "--mode", "gray"])
        #expect(region.status == 0, "\(region.errors)")
        #expect(region.output.contains("\"width\":30,\"height\":40,\"channels\":1"))
    }

    @Test(arguments: [
        (["decode", "only-one"], "'decode' needs 2 argument(s), got 1"),
        (["decode", "a", "b", "--min-size", "12"], "--min-size expects WxH"),
        (["decode", "a", "b", "--region", "1,2,3"], "--region expects x,y,w,h"),
        // Sizes and regions whose arithmetic would overflow or allocate without bound (issue 14).
        (["decode", "a", "b", "--min-size", "99999999999x99999999999"], "--min-size expects WxH with W, H in 1...65535"),
        (["decode", "a", "b", "--region", "9223372036854775807,0,1,1"], "each at most 2147483647"),
        (["decode", "a", "b", "--mode", "cmyk"], "--mode expects rgb or gray"),
        (["decode", "a", "b", "--bogus"], "unknown option '--bogus'"),
        (["frobnicate"], "unknown command 'frobnicate'"),
    ])
    func usageErrorsExitWithStatus2(arguments: [String], message: String) throws {
        let run = try ProgramRun.run(sgid, arguments)
        #expect(run.status == 2)
        #expect(run.errors.contains(message), "stderr was: \(run.errors)")
    }

    @Test func failuresNameTheFileAndExitWithStatus1() throws {
        let directory = try TemporaryDirectory()
        let missing = try ProgramRun.run(sgid, ["decode", directory.path("missing.jpg"), directory.path("o.png")])
        #expect(missing.status == 1)
        #expect(missing.errors.contains("missing.jpg"))
        let jpeg = try Self.photo()
        try Data(jpeg.prefix(jpeg.count / 2)).write(to: directory.url.appendingPathComponent("cut.jpg"))
        let truncated = try ProgramRun.run(sgid, ["decode", directory.path("cut.jpg"), directory.path("o.png")])
        #expect(truncated.status == 1)
        #expect(truncated.errors.contains("cut.jpg: jpeg truncated"), "stderr was: \(truncated.errors)")
        try Data(jpeg).write(to: directory.url.appendingPathComponent("in.jpg"))
        let outside = try ProgramRun.run(sgid, ["decode", directory.path("in.jpg"), directory.path("o.png"),
                                                "--region", "100,0,50,10"])
        #expect(outside.status == 1)
        #expect(outside.errors.contains("region 100,0,50,10 is empty or outside the 120x90 image"), "\(outside.errors)")
    }
}
