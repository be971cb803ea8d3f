import ArgumentParsing

/// `sgid version`: prints the tool's version.
enum VersionCommand: SubCommand {
    /// The release this build belongs to.
    static let version = "0.1.0"

    static let spec = CommandSpec(name: "version", synopsis: "version", positionals: 0...0)
    static let summary = "print the version"

    static func run(_ arguments: ParsedArguments) throws {
        print("sgid \(version)")
    }
}
