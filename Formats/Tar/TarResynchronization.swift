/// Getting past a damaged header, as GNU tar does after "Skipping to next header": the stream is scanned forward
/// block by block (headers start on 512-byte boundaries) for the next block whose checksum verifies and whose fields
/// decode. All-zero blocks are skipped too (a damaged member's data may hold some), so after damage the archive ends
/// at the end of the stream rather than at its end-of-archive marker. A member whose data is itself a tar archive
/// can resynchronise into that inner archive; nothing can tell the two apart once the outer header is lost.
extension ArchiveInput {
    /// Reads blocks until one decodes as a valid header.
    /// - Parameter block: A 512-byte buffer; on return it holds the header found.
    /// - Returns: The header and its offset, or nil when the stream ends first.
    /// - Throws: The byte source's `TarError` (I/O, decompression, a failed command).
    func nextValidHeader(into block: UnsafeMutableRawBufferPointer) throws(TarError) -> (offset: Int64, header: TarHeader)? {
        while true {
            let offset = self.offset
            guard try read(into: block) == TarHeader.blockSize else { return nil }
            let view = UnsafeRawBufferPointer(block)
            if TarHeader.isZeroBlock(view) { continue }
            if let header = try? TarHeader(decoding: view) { return (offset, header) }
        }
    }
}

extension TarHeader {
    /// The member name a damaged header block still shows, for error messages and to tell which member was lost:
    /// the name field (joined with the ustar prefix when the magic says ustar) when it is non-empty printable UTF-8.
    /// - Parameter block: The damaged block, or the part of it that was read (at least 500 bytes are needed).
    /// - Returns: The name, or nil when none can be read.
    static func salvagedName(_ block: UnsafeRawBufferPointer) -> String? {
        guard block.count >= 500 else { return nil }
        func field(_ offset: Int, _ length: Int) -> [UInt8] {
            Array(block[offset..<offset + length].prefix { $0 != 0 })
        }
        var bytes = field(0, 100)
        let ustar: [UInt8] = [0x75, 0x73, 0x74, 0x61, 0x72, 0x00]
        if Array(block[257..<263]) == ustar {
            let prefix = field(345, 155)
            if !prefix.isEmpty { bytes = prefix + [UInt8(ascii: "/")] + bytes }
        }
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= 0x20 && $0 != 0x7f }) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Whether a damaged block still looks like a GNU long-name or PAX header that describes the member after it:
    /// both its typeflag (`L`, `K`, `x`, `X`) and its name (`././@LongLink`, `…PaxHeader…`) say so, so one flipped
    /// byte cannot make an ordinary member's header look like one.
    /// - Parameter block: The damaged 512-byte block.
    /// - Returns: True when the member after it belongs with it.
    static func looksLikeMemberMetadata(_ block: UnsafeRawBufferPointer) -> Bool {
        guard block.count == blockSize, Array("LKxX".utf8).contains(block[156]), let name = salvagedName(block) else {
            return false
        }
        return name.contains("@LongLink") || name.contains("PaxHeader")
    }

    /// Whether this header is metadata for the member after it (GNU `L`/`K`, PAX `x`/`X`/`g`).
    var isMetadata: Bool { Array("LKxXg".utf8).contains(typeflag) }

    /// Whether a member of this header carries data blocks (regular files and unknown types; links, directories,
    /// devices and FIFOs carry none whatever their size field says).
    var carriesData: Bool {
        switch TarMemberType(typeflag: typeflag) {
        case .regular, .other: true
        default: false
        }
    }
}
