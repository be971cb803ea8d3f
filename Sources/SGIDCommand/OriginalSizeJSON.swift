import Foundation

/// Records a resized image's original size in its sample's `.json` part as `"original_size": [w, h]`.
///
/// An existing JSON object part is parsed, gains the member and is written back with sorted keys (an
/// `original_size` already there is kept: it names the size before an earlier preparation); a sample without a
/// `.json` part gets one holding just the member. A `.json` part that is not a JSON object is refused.
enum OriginalSizeJSON {
    /// Adds the provenance to a sample's members.
    /// - Parameters:
    ///   - members: The sample's tar members (name, bytes), the image already replaced.
    ///   - key: The sample's key (member names up to the basename's first dot).
    ///   - width: The original width.
    ///   - height: The original height.
    /// - Returns: The members with the `.json` part updated or appended.
    /// - Throws: `CommandFailure` naming the sample when its `.json` part is not a JSON object.
    static func record(in members: [(String, [UInt8])], key: String, width: Int,
                       height: Int) throws(CommandFailure) -> [(String, [UInt8])] {
        var members = members
        let index = members.firstIndex { SampleMembers.extensionName(of: $0.0) == "json" }
        var object: [String: Any] = [:]
        if let index {
            let parsed = try? JSONSerialization.jsonObject(with: Data(members[index].1), options: [.fragmentsAllowed])
            guard let dictionary = parsed as? [String: Any] else {
                throw CommandFailure("sample \(key): its part \(members[index].0) is not a JSON object, so the original "
                                     + "size of its resized image cannot be recorded in it")
            }
            object = dictionary
        }
        if object["original_size"] == nil { object["original_size"] = [width, height] }
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        } catch {
            throw CommandFailure("sample \(key): its JSON part cannot be written back: \(error)")
        }
        if let index { members[index].1 = bytes } else { members.append(("\(key).json", bytes)) }
        return members
    }
}
