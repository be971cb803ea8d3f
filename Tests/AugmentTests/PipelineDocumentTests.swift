import Foundation
import ImageCodec
import Testing
@testable import Augment

@Suite("JSON pipeline documents")
struct PipelineDocumentTests {
    static let example = """
        {"version": 1, "pipeline": [
          {"op": "random_resized_crop", "size": 224, "scale": [0.08, 1], "ratio": "3/4:4/3", "interpolation": "bicubic"},
          {"op": "one_of", "weights": [1, 2], "children": [{"op": "hflip", "p": 1}, {"op": "vflip", "p": 1}]},
          {"op": "random_apply", "p": 0.5, "children": [{"op": "some_of", "n": 1, "replace": false,
            "children": [{"op": "identity"}, {"op": "resize", "size": "32x16"}]}]}
        ]}
        """

    @Test("a JSON document builds the pipeline it describes")
    func build() throws {
        let pipeline = try PipelineDocument.decode(Array(Self.example.utf8)).build()
        #expect(pipeline.stages.count == 3)
        let crop = try #require(pipeline.stages[0] as? RandomResizedCrop)
        #expect(crop.size == PixelSize(width: 224, height: 224) && crop.scale == 0.08...1 && crop.interpolation == .bicubic)
        let oneOf = try #require(pipeline.stages[1] as? OneOf)
        #expect(oneOf.weights == [1, 2] && oneOf.children[0] is HorizontalFlip)
        let apply = try #require(pipeline.stages[2] as? RandomApply)
        let someOf = try #require(apply.children[0] as? SomeOf)
        #expect((someOf.children[1] as? Resize)?.size == .exact(PixelSize(width: 32, height: 16)))
        // The inline parser accepts JSON too (what `--pipeline` gets).
        #expect(try PipelineSpec.parse(Self.example).stages.count == 3)
    }

    @Test("JSON → inline → JSON and inline → JSON → inline are lossless")
    func conversions() throws {
        let document = try PipelineDocument.decode(Array(Self.example.utf8))
        let inline = document.inline
        #expect(inline.hasPrefix("random_resized_crop(interpolation=bicubic, ratio=3/4:4/3, scale=0.08:1, size=224) | "
                                  + "one_of(hflip(p=1) | vflip(p=1), weights=1:2)"), "\(inline)")
        #expect(try PipelineDocument(inline: inline) == document)
        let again = try PipelineDocument.decode(document.encoded(pretty: true))
        #expect(again == document)
        for spec in ["resize(size=256, interpolation=bicubic) | center_crop(size=224)",
                     "random_apply(hflip | vflip(p=0.25), p=0.3) | some_of(identity | hflip, n=1, replace=true)",
                     "one_of(sequence(hflip | vflip) | identity, weights=0.5:1.5, p=0.9)", ""] {
            let json = try PipelineDocument(inline: spec).encoded()
            let back = try PipelineDocument.decode(json)
            #expect(try PipelineSpec.build(back.pipeline).stages.count == PipelineSpec.parse(spec).stages.count)
            #expect(back.json == (try PipelineDocument(inline: back.inline)).json)
            // Parameters come back sorted by name; otherwise the stages are the same.
            func sorted(_ stages: [PipelineSpec.Stage]) -> [PipelineSpec.Stage] {
                stages.map { PipelineSpec.Stage(name: $0.name, parameters: $0.parameters.sorted { $0.key < $1.key },
                                                children: $0.children.map(sorted)) }
            }
            #expect(back.pipeline == sorted(try PipelineSpec.stages(spec)))
        }
    }

    @Test("Codable: documents encode and decode through JSONEncoder/JSONDecoder")
    func codable() throws {
        let document = try PipelineDocument(inline: "one_of(hflip | vflip, weights=1:3) | resize(size=8)")
        let data = try JSONEncoder().encode(document)
        #expect(try JSONDecoder().decode(PipelineDocument.self, from: data) == document)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains("\"weights\":[1,3]") && json.contains("\"version\":1"), "\(json)")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(PipelineDocument.self, from: Data("{\"version\":9,\"pipeline\":[]}".utf8))
        }
    }

    @Test("user-registered operations work in JSON documents")
    func userOperations() throws {
        struct Posterize: Augmenter {
            let bits: Int
            func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {}
        }
        let registry = AugmenterRegistry()
        registry.register("my_posterize", parameters: ["bits"]) { (parameters) throws(AugmentError) in
            Posterize(bits: try parameters.int("bits", in: 1...8))
        }
        let json = #"{"version":1,"pipeline":[{"op":"one_of","children":[{"op":"my_posterize","bits":3},{"op":"identity"}]}]}"#
        let pipeline = try PipelineDocument.decode(Array(json.utf8)).build(registry: registry)
        #expect(((pipeline.stages[0] as? OneOf)?.children[0] as? Posterize)?.bits == 3)
        #expect(throws: AugmentError.self) { try PipelineDocument.decode(Array(json.utf8)).build() }
    }

    @Test("errors name the operation and the parameter", arguments: [
        (#"{"version":1,"pipeline":[{"op":"frobnicate"}]}"#, "frobnicate", "unknown operation"),
        (#"{"version":1,"pipeline":[{"op":"hflip","q":1}]}"#, "hflip", "unknown parameter 'q'"),
        (#"{"version":1,"pipeline":[{"op":"hflip","p":2}]}"#, "hflip", "parameter 'p' = '2'"),
        (#"{"version":1,"pipeline":[{"op":"hflip","p":{"a":1}}]}"#, "hflip", "parameter 'p'"),
        (#"{"version":1,"pipeline":[{"op":"hflip","p":null}]}"#, "hflip", "parameter 'p'"),
        (#"{"version":1,"pipeline":[{"op":"resize","size":"1|2"}]}"#, "resize", "parameter 'size'"),
        (#"{"version":1,"pipeline":[{"op":"one_of","weights":[1],"children":[{"op":"hflip"},{"op":"vflip"}]}]}"#,
         "one_of", "parameter 'weights' = '1'"),
        (#"{"version":1,"pipeline":[{"op":"one_of","children":[{"op":"hflip","p":"x"}]}]}"#, "hflip", "parameter 'p' = 'x'"),
        (#"{"version":1,"pipeline":[{"op":"hflip","children":[{"op":"vflip"}]}]}"#, "hflip", "expected 'key=value'"),
        (#"{"version":1,"pipeline":[{"p":1}]}"#, "pipeline spec", "pipeline[0]: missing string field 'op'"),
        (#"{"version":2,"pipeline":[]}"#, "pipeline spec", "unsupported version 2"),
        (#"{"pipeline":[]}"#, "pipeline spec", "missing or non-integer 'version'"),
        (#"{"version":1}"#, "pipeline spec", "missing 'pipeline' array"),
        (#"{"version":1,"pipeline":[],"extra":0}"#, "pipeline spec", "unknown field 'extra'"),
        (#"{"version":1,"pipeline":[}"#, "pipeline spec", "not valid JSON"),
        (#"[1]"#, "pipeline spec", "expected a JSON object"),
    ])
    func errors(json: String, operation: String, fragment: String) {
        do {
            _ = try PipelineDocument.decode(Array(json.utf8)).build()
            Issue.record("\(json) built")
        } catch {
            #expect(error.operation == operation, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
        }
    }
}
