import ArgumentParsing
import Augment
import Foundation

/// The pipeline of a command line: `--pipeline SPEC` (inline text, JSON text, or the path of a JSON or text file
/// holding either) or `--op 'name(k=v, …)'` (exactly one operation).
enum PipelineArgument {
    /// The options a command adds to accept a pipeline.
    static let options: [CommandSpec.Option] = [
        .value("pipeline", help: "inline spec ('random_resized_crop(size=224) | hflip'), JSON, or a file holding either"),
        .value("op", help: "a single operation, 'name(k=v, …)'"),
    ]

    /// Reads the pipeline from `--pipeline` or `--op`.
    /// - Parameters:
    ///   - arguments: The parsed command line.
    ///   - allowOp: Whether `--op` is accepted.
    ///   - registry: Where operation names are looked up.
    /// - Returns: The pipeline.
    /// - Throws: `UsageError` when neither or both are given, or the spec is malformed (naming the operation and
    ///   parameter).
    static func parse(_ arguments: ParsedArguments, allowOp: Bool = true,
                      registry: AugmenterRegistry = .shared) throws(UsageError) -> Pipeline {
        let spec = arguments.value("pipeline"), op = arguments.value("op")
        guard allowOp || op == nil else { throw UsageError("--op is not accepted here; use --pipeline") }
        switch (spec, op) {
        case (let spec?, nil):
            do {
                return try PipelineSpec.parse(text(of: spec), registry: registry)
            } catch {
                throw UsageError("--pipeline: \(error.operation): \(error.message)")
            }
        case (nil, let op?):
            let stages: [PipelineSpec.Stage]
            do {
                stages = try PipelineSpec.stages(op)
            } catch {
                throw UsageError("--op: \(error.operation): \(error.message)")
            }
            guard stages.count == 1 else {
                throw UsageError("--op takes exactly one operation, got \(stages.count); use --pipeline for more")
            }
            do {
                return try PipelineSpec.build(stages, registry: registry)
            } catch {
                throw UsageError("--op: \(error.operation): \(error.message)")
            }
        case (nil, nil):
            throw UsageError(allowOp ? "give --pipeline SPEC or --op 'name(k=v, …)'" : "--pipeline SPEC is required")
        case (_?, _?):
            throw UsageError("give either --pipeline or --op, not both")
        }
    }

    /// Reads an optional `--pipeline` (inline, JSON, or a file holding either); absent or empty is no augmentation.
    /// - Parameters:
    ///   - arguments: The parsed command line.
    ///   - registry: Where operation names are looked up.
    /// - Returns: The pipeline and its canonical inline text (what a report records, whatever spelling was given).
    /// - Throws: `UsageError` naming the operation and parameter of a malformed spec.
    static func parseOptional(_ arguments: ParsedArguments, registry: AugmenterRegistry = .shared)
        throws(UsageError) -> (pipeline: Pipeline, canonical: String) {
        guard let value = arguments.value("pipeline"), !value.isEmpty else { return (Pipeline([]), "") }
        do throws(AugmentError) {
            let stages = try stages(of: text(of: value))
            return (try PipelineSpec.build(stages, registry: registry), PipelineSpec.format(stages))
        } catch {
            throw UsageError("--pipeline: \(error.operation): \(error.message)")
        }
    }

    /// The stages of spec text, inline or the JSON form.
    /// - Parameter spec: The text.
    /// - Returns: The stages.
    /// - Throws: `AugmentError` for malformed text.
    private static func stages(of spec: String) throws(AugmentError) -> [PipelineSpec.Stage] {
        if spec.first(where: { !$0.isWhitespace }) == "{" { return try PipelineDocument.decode(Array(spec.utf8)).pipeline }
        return try PipelineSpec.stages(spec)
    }

    /// The spec text: a file's contents when `value` names an existing file, else `value` itself.
    /// - Parameter value: The option's value.
    /// - Returns: The spec text.
    private static func text(of value: String) -> String {
        var isDirectory: ObjCBool = false
        guard !value.contains("("), FileManager.default.fileExists(atPath: value, isDirectory: &isDirectory),
              !isDirectory.boolValue, let data = FileManager.default.contents(atPath: value) else { return value }
        return String(decoding: data, as: UTF8.self)
    }
}
