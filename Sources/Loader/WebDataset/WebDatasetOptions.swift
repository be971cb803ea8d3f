import Foundation
import Tar

/// How a `WebDatasetDataset` turns the parts of a sample (its tar members, by extension) into a `Sample`.
///
/// Extensions are compared after lowercasing, as webdataset does. A part named `X.gz` is gunzipped first and then
/// treated as `X` when `X` itself is not present (webdataset's default decoder does the same gunzip).
public struct WebDatasetOptions: Sendable, Equatable {
    /// Image extensions in order of preference; the sample's image is the first one present.
    /// Default `jpg jpeg png webp ppm pgm bmp tif tiff`.
    public var imageExtensions: [String]
    /// Extensions holding an ASCII integer label (webdataset's integer decoders), first present wins.
    /// Default `cls cls2 index inx id`.
    public var labelExtensions: [String]
    /// A JSON field holding the integer label (looked up in the `jsonExtensions` part) when no label extension is
    /// present, e.g. `"label"`. Default nil.
    public var labelJSONField: String?
    /// An extension holding the class *name* (UTF-8 text, surrounding whitespace ignored), mapped to a label
    /// through `classNames`, e.g. `"class.txt"`. Used when no integer label is present. Default nil.
    public var classNameExtension: String?
    /// Class names by label: names integer labels (`Sample.className`) and maps `classNameExtension` values.
    public var classNames: [String]
    /// Extensions holding a UTF-8 caption, first present wins. Default `txt text`.
    public var captionExtensions: [String]
    /// A JSON field holding the caption when no caption extension is present, e.g. `"caption"`. Default nil.
    public var captionJSONField: String?
    /// Extensions parsed as JSON objects (for the JSON fields and metadata). Default `json jsn`.
    public var jsonExtensions: [String]
    /// Whether a sample without a label is an error (`.invalidSample`). Default false (`Sample.label` nil).
    public var requiresLabel: Bool
    /// Other parts up to this size that are valid UTF-8 are kept in `Sample.metadata` under their extension; the
    /// top-level members of a JSON part are kept under their field names. Default 4096 bytes.
    public var maxMetadataBytes: Int
    /// Refuse `pipe:` shards (as the peer does under `WDS_SECURE=1`). Default: `secureModeFromEnvironment`.
    public var secureMode: Bool
    /// Limits of the tar reader (largest member, buffer size).
    public var tarOptions: TarReaderOptions

    /// The default image extensions.
    public static let defaultImageExtensions = ["jpg", "jpeg", "png", "webp", "ppm", "pgm", "bmp", "tif", "tiff"]
    /// The default label extensions.
    public static let defaultLabelExtensions = ["cls", "cls2", "index", "inx", "id"]

    /// Whether `WDS_SECURE` asks for secure mode: `1`, `true`, `yes`, `on` (any case) or a non-zero integer are on;
    /// unset, empty, `0`, `false`, `no`, `off` are off (see `WebDatasetSecureMode`). An unrecognised value fails
    /// closed: secure mode is on, so `pipe:` shards are refused with an error naming the value, and `Dataset.open`
    /// refuses to open shards at all.
    public static var secureModeFromEnvironment: Bool {
        (try? WebDatasetSecureMode.fromEnvironment()) ?? true
    }

    /// Creates options.
    /// - Parameters:
    ///   - imageExtensions: Image extensions in order of preference.
    ///   - labelExtensions: Integer label extensions in order of preference.
    ///   - labelJSONField: JSON field with the label.
    ///   - classNameExtension: Extension with the class name.
    ///   - classNames: Class names by label.
    ///   - captionExtensions: Caption extensions in order of preference.
    ///   - captionJSONField: JSON field with the caption.
    ///   - jsonExtensions: JSON extensions.
    ///   - requiresLabel: Whether a missing label is an error.
    ///   - maxMetadataBytes: Largest text part kept as metadata.
    ///   - secureMode: Refuse `pipe:` shards (default from `WDS_SECURE`).
    ///   - tarOptions: Tar reader limits (`loadsData` and `includesNonRegularMembers` are ignored).
    public init(imageExtensions: [String] = WebDatasetOptions.defaultImageExtensions,
                labelExtensions: [String] = WebDatasetOptions.defaultLabelExtensions,
                labelJSONField: String? = nil, classNameExtension: String? = nil, classNames: [String] = [],
                captionExtensions: [String] = ["txt", "text"], captionJSONField: String? = nil,
                jsonExtensions: [String] = ["json", "jsn"], requiresLabel: Bool = false, maxMetadataBytes: Int = 4096,
                secureMode: Bool = WebDatasetOptions.secureModeFromEnvironment,
                tarOptions: TarReaderOptions = TarReaderOptions()) {
        self.imageExtensions = imageExtensions
        self.labelExtensions = labelExtensions
        self.labelJSONField = labelJSONField
        self.classNameExtension = classNameExtension
        self.classNames = classNames
        self.captionExtensions = captionExtensions
        self.captionJSONField = captionJSONField
        self.jsonExtensions = jsonExtensions
        self.requiresLabel = requiresLabel
        self.maxMetadataBytes = maxMetadataBytes
        self.secureMode = secureMode
        self.tarOptions = tarOptions
    }
}
