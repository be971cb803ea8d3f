import Augment
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A torchvision-style `ImageFolder` tree (`root/<class>/…/<image>`), indexed exactly as
/// `torchvision.datasets.ImageFolder` indexes it:
///
/// - classes are the sorted names of the root's entries that are directories, following symbolic links (hidden
///   directories count); the label of a class is its position in that order; no class folder is an error;
/// - each class folder is walked recursively, following symbolic links to directories; its directories are visited
///   in the sorted order of their paths (`sorted(os.walk(…))`), and the files of each directory in sorted name order;
/// - a file counts when its name, lowercased, ends with one of the extensions (default
///   `.jpg .jpeg .png .ppm .bmp .pgm .tif .tiff .webp`; as in torchvision the extensions themselves are compared as
///   given, so give them in lower case); every non-directory entry is a file here (also broken links);
/// - a class folder without any such file is an error unless `allowEmpty` (its label stays reserved).
///
/// Sorting compares names byte by byte (UTF-8), which is Python's code-point order for UTF-8 names.
/// Deliberate differences: a directory link that leads back into its own ancestors is not followed again (Python
/// would walk the cycle until the system refuses the path); names that are not valid UTF-8 sort by their bytes
/// (Python sorts their surrogate escapes), and their keys show U+FFFD.
public struct ImageFolderDataset: IndexedDataset {
    /// torchvision's `IMG_EXTENSIONS`.
    public static let defaultExtensions = [".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp"]

    /// The root directory as given (a leading `~/` expanded, trailing slashes removed).
    public let root: String
    /// Class names by label (sorted folder names).
    public let classNames: [String]
    /// The relative paths, concatenated (raw bytes, so any file name can be opened again).
    private let pathBytes: [UInt8]
    /// The end of each path in `pathBytes`.
    private let pathEnds: [Int]
    /// The label of each sample.
    private let labels: [Int32]

    /// The number of images.
    public var count: Int { pathEnds.count }

    /// Indexes an ImageFolder tree.
    /// - Parameters:
    ///   - root: The root directory (holding one folder per class).
    ///   - extensions: File-name endings that count as images (compared with the lowercased name).
    ///   - allowEmpty: Accept class folders without images (torchvision's `allow_empty`).
    /// - Throws: `LoaderError` of kind `.io` when the root cannot be read; `.invalidDataset` when it has no class
    ///   folder, or a class folder has no image and `allowEmpty` is false (naming the classes).
    public init(root: String, extensions: [String] = ImageFolderDataset.defaultExtensions,
                allowEmpty: Bool = false) throws(LoaderError) {
        var rootPath = root
        if rootPath == "~" || rootPath.hasPrefix("~/"), let home = getenv("HOME") {
            rootPath = String(cString: home) + rootPath.dropFirst()
        }
        while rootPath.count > 1, rootPath.hasSuffix("/") { rootPath.removeLast() }
        self.root = rootPath
        let rootBytes = Array(rootPath.utf8)
        guard let entries = ImageFolderDirectory.list(rootBytes) else {
            let reason = String(cString: strerror(errno))
            throw LoaderError(.io, "cannot read the ImageFolder root: \(reason)", location: rootPath)
        }
        let classes = entries.filter(\.isDirectory).map(\.name).sorted { $0.lexicographicallyPrecedes($1) }
        guard !classes.isEmpty else {
            throw LoaderError(.invalidDataset, "no class folder in the ImageFolder root", location: rootPath)
        }
        let endings = extensions.map { Array($0.utf8) }
        var pathBytes: [UInt8] = []
        var pathEnds: [Int] = []
        var labels: [Int32] = []
        var emptyClasses: [String] = []
        for (label, className) in classes.enumerated() {
            let before = pathEnds.count
            for directory in ImageFolderDirectory.walk(root: rootBytes, relative: className) {
                for name in directory.files where Self.matches(name, endings: endings) {
                    pathBytes.append(contentsOf: directory.path)
                    pathBytes.append(UInt8(ascii: "/"))
                    pathBytes.append(contentsOf: name)
                    pathEnds.append(pathBytes.count)
                    labels.append(Int32(label))
                }
            }
            if pathEnds.count == before { emptyClasses.append(String(decoding: className, as: UTF8.self)) }
        }
        if !emptyClasses.isEmpty, !allowEmpty {
            throw LoaderError(.invalidDataset,
                              "no valid file for the classes \(emptyClasses.joined(separator: ", ")); "
                              + "supported extensions are \(extensions.joined(separator: ", ")) "
                              + "(allowEmpty accepts empty classes)",
                              location: rootPath)
        }
        classNames = classes.map { String(decoding: $0, as: UTF8.self) }
        self.pathBytes = pathBytes
        self.pathEnds = pathEnds
        self.labels = labels
    }

    /// Whether the lowercased name ends with one of the endings. ASCII lowercasing of the bytes is exact here:
    /// the only non-ASCII characters whose lowercase is ASCII (the Kelvin sign) cannot end an image extension.
    private static func matches(_ name: [UInt8], endings: [[UInt8]]) -> Bool {
        endings.contains { ending in
            guard ending.count <= name.count else { return false }
            return zip(name[(name.count - ending.count)...], ending).allSatisfy { byte, wanted in
                let lower = (0x41...0x5a).contains(byte) ? byte + 0x20 : byte
                return lower == wanted
            }
        }
    }

    private func relativeBytes(_ index: Int) -> ArraySlice<UInt8> {
        pathBytes[(index == 0 ? 0 : pathEnds[index - 1])..<pathEnds[index]]
    }

    /// The key of a sample: its path relative to the root (`class/sub/name.jpg`).
    /// - Parameter index: The sample's position, 0 ..< count.
    /// - Returns: The relative path.
    public func key(at index: Int) -> String { String(decoding: relativeBytes(index), as: UTF8.self) }

    /// The label of a sample.
    /// - Parameter index: The sample's position, 0 ..< count.
    /// - Returns: The class index.
    public func label(at index: Int) -> Int { Int(labels[index]) }

    /// The file path of a sample (`root/class/…/name`).
    /// - Parameter index: The sample's position, 0 ..< count.
    /// - Returns: The path.
    public func path(at index: Int) -> String { root + "/" + key(at: index) }

    /// Reads one sample: its file's bytes, still encoded.
    /// - Parameter index: Position in the canonical order, 0 ..< count.
    /// - Returns: The sample (key = relative path, label and class name from its folder).
    /// - Throws: `LoaderError` of kind `.invalidArgument` for an index out of range, `.io` naming the file when it
    ///   cannot be read.
    public func sample(at index: Int) throws(LoaderError) -> Sample {
        guard index >= 0, index < count else {
            throw LoaderError(.invalidArgument, "sample index \(index) is outside 0..<\(count)", location: root)
        }
        var fullPath = Array(root.utf8)
        fullPath.append(UInt8(ascii: "/"))
        fullPath.append(contentsOf: relativeBytes(index))
        let key = key(at: index)
        let bytes: [UInt8]
        do {
            bytes = try ImageFolderFileReader.read(fullPath)
        } catch {
            throw LoaderError(.io, "cannot read the image: \(error.reason)", location: root + "/" + key, key: key)
        }
        let label = Int(labels[index])
        return Sample(key: key, label: label, className: classNames[label],
                      source: SampleSource(url: root, path: root + "/" + key, index: index), image: .encoded(bytes))
    }
}
