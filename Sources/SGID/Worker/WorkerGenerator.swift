import Foundation
import ImageCodec
import Synchronization

/// The generator, captioner and scorer served by worker processes speaking Formats/GeneratorProtocol.md — by
/// default the Hugging Face `diffusers` worker in `Workers/diffusers/` (Stable Diffusion img2img, BLIP captions,
/// CLIP scores). Requests are cut into chunks of `itemsPerRequest` and spread over the pool's workers in parallel.
public final class WorkerGenerator: ImageGenerator, Captioner, ConsistencyScorer {
    /// The worker processes.
    public let pool: WorkerPool
    /// Items sent in one request (a worker batches its own pipeline calls).
    public let itemsPerRequest: Int
    /// Model, revision, pipeline, scheduler and dtype reported by the workers.
    public let identity: GeneratorIdentity
    /// The captioner's model and revision (empty model when the workers have none).
    public let captionerIdentity: GeneratorIdentity
    /// The scorer's model and revision (empty model when the workers have none).
    public let scorerIdentity: GeneratorIdentity
    /// What the workers report: Stable Diffusion (text-conditioned RGB img2img at the caller's size), or a pixel-space
    /// class-conditional model (its channels and sample size, sources fitted by the worker); captions and scores when
    /// the workers loaded those models.
    public let capabilities: GeneratorCapabilities
    /// One call per worker at a time.
    public var parallelism: Int { pool.count }

    /// Wraps a started pool.
    /// - Parameters:
    ///   - pool: Workers that completed their handshake.
    ///   - itemsPerRequest: Items per request (default 8).
    public init(pool: WorkerPool, itemsPerRequest: Int = 8) {
        self.pool = pool
        self.itemsPerRequest = max(1, itemsPerRequest)
        let ready = (try? JSONSerialization.jsonObject(with: Data(pool.handshakeJSON.utf8))) as? [String: Any] ?? [:]
        identity = Self.identity(of: ready["generator"], dtype: ready["dtype"] as? String)
        captionerIdentity = Self.identity(of: ready["captioner"], dtype: ready["dtype"] as? String)
        scorerIdentity = Self.identity(of: ready["scorer"], dtype: ready["dtype"] as? String)
        let sample = (ready["sample_size"] as? [NSNumber]).flatMap { $0.count == 2 ? PixelSize(width: $0[1].intValue, height: $0[0].intValue) : nil }
        capabilities = GeneratorCapabilities(
            conditioning: (ready["conditioning"] as? String).flatMap(GeneratorCapabilities.Conditioning.init(rawValue:)) ?? .text,
            channels: (ready["channels"] as? NSNumber)?.intValue ?? 3, defaultSize: sample,
            fitsSources: ready["fits_sources"] as? Bool ?? false, captions: ready["captioner"] is [String: Any],
            scoring: ready["scorer"] is [String: Any])
    }

    /// The `diffusers` plugin: starts `options.workers` worker processes and wraps them.
    /// - Parameter options: The plugin's options (worker-only ones in `backendOptions`).
    /// - Returns: The plugin, with its captioner and scorer when the workers loaded them.
    /// - Throws: `GeneratorError` when an option is unknown or a worker does not start.
    @Sendable
    public static func plugin(_ options: GeneratorOptions) throws(GeneratorError) -> GeneratorRegistry.Plugin {
        let workerOptions = try WorkerGeneratorOptions(options)
        let generator = WorkerGenerator(pool: try WorkerPool(commands: workerOptions.commands(for: options)),
                                        itemsPerRequest: options.batch)
        return GeneratorRegistry.Plugin(generator: generator, captioner: generator.capabilities.captions ? generator : nil,
                                        scorer: generator.capabilities.scoring ? generator : nil)
    }

    private static func identity(of object: Any?, dtype: String?) -> GeneratorIdentity {
        guard var details = object as? [String: Any] else { return GeneratorIdentity(model: "", revision: "", detailsJSON: "{}") }
        let model = details.removeValue(forKey: "model") as? String ?? ""
        let revision = details.removeValue(forKey: "revision") as? String ?? ""
        if let dtype { details["dtype"] = dtype }
        let data = (try? JSONSerialization.data(withJSONObject: details, options: [.sortedKeys])) ?? Data("{}".utf8)
        return GeneratorIdentity(model: model, revision: revision, detailsJSON: String(decoding: data, as: UTF8.self))
    }

    /// Raw RGB bytes of an image (gray is replicated, alpha dropped).
    static func rgbBytes(_ image: Image) -> [UInt8] {
        switch image.channels {
        case 3: return image.pixels
        case 1: return image.pixels.flatMap { [$0, $0, $0] }
        default:
            var out = [UInt8]()
            out.reserveCapacity(image.pixelCount * 3)
            for index in 0..<image.pixelCount { out.append(contentsOf: image.pixels[index * 4..<index * 4 + 3]) }
            return out
        }
    }

    /// Runs `work` over chunks of `items` on up to `pool.count` threads, keeping input order.
    private func chunked<Item: Sendable, Output: Sendable>(
        _ items: [Item], _ work: @Sendable ([Item]) throws(GeneratorError) -> [Output])
        throws(GeneratorError) -> [Output] {
        let chunks = stride(from: 0, to: items.count, by: itemsPerRequest).map { Array(items[$0..<min(items.count, $0 + itemsPerRequest)]) }
        let results = Mutex<[Result<[Output], GeneratorError>?]>(Array(repeating: nil, count: chunks.count))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(pool.count, chunks.count)) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < chunks.count else { return }
                let outcome = Result { () throws(GeneratorError) -> [Output] in try work(chunks[index]) }
                results.withLock { $0[index] = outcome }
            }
        }
        var output: [Output] = []
        for result in results.withLock({ $0 }) { output += try result!.get() }
        return output
    }

    /// Generates a batch through the workers.
    /// - Parameter requests: The requests.
    /// - Returns: One result per request, in order.
    /// - Throws: `GeneratorError` when a chunk failed after all retries.
    public func generate(_ requests: [GenerationRequest]) throws(GeneratorError) -> [GenerationResult] {
        try chunked(requests) { (chunk) throws(GeneratorError) -> [GenerationResult] in try generateChunk(chunk) }
    }

    private func generateChunk(_ chunk: [GenerationRequest]) throws(GeneratorError) -> [GenerationResult] {
        let items: [[String: Any]] = chunk.map { request in
            [
                "key": request.key, "width": request.image.width, "height": request.image.height, "label": request.label,
                "prompt": request.prompt, "negative_prompt": request.negativePrompt,
                "strength": request.strength, "guidance": request.guidance, "steps": request.steps,
                "seeds": request.seeds.map { NSNumber(value: $0) },
                "output_width": request.outputSize.width, "output_height": request.outputSize.height,
            ]
        }
        let payloads = chunk.map { Self.rgbBytes($0.image) }
        let answer = try pool.request { id in WorkerFrame(header: ["type": "generate", "id": id, "items": items], payloads: payloads) }
        guard answer.type == "generated", let answered = answer.header["items"] as? [[String: Any]], answered.count == chunk.count else {
            throw GeneratorError(.protocolViolation, "generate answered \(answer.type) with a wrong item list")
        }
        var payloadIndex = 0
        var results: [GenerationResult] = []
        for (request, item) in zip(chunk, answered) {
            if let message = item["error"] as? String {
                results.append(GenerationResult(key: request.key, images: [], error: GeneratorError(.rejected, message, key: request.key)))
                continue
            }
            let variants = item["variants"] as? [[String: Any]] ?? []
            guard variants.count == request.seeds.count else {
                throw GeneratorError(.protocolViolation, "'\(request.key)': \(variants.count) variants for \(request.seeds.count) seeds")
            }
            var images: [Image] = []
            for variant in variants {
                let width = (variant["width"] as? NSNumber)?.intValue ?? request.outputSize.width
                let height = (variant["height"] as? NSNumber)?.intValue ?? request.outputSize.height
                guard payloadIndex < answer.payloads.count, answer.payloads[payloadIndex].count == width * height * 3 else {
                    throw GeneratorError(.protocolViolation, "variant payload of '\(request.key)' is missing or has the wrong size")
                }
                let rgb = answer.payloads[payloadIndex]
                // Gray models' variants travel as RGB with the value replicated: keep one channel.
                images.append(capabilities.channels == 1
                    ? Image(width: width, height: height, channels: 1, pixels: stride(from: 0, to: rgb.count, by: 3).map { rgb[$0] })
                    : Image(width: width, height: height, channels: 3, pixels: rgb))
                payloadIndex += 1
            }
            results.append(GenerationResult(key: request.key, images: images))
        }
        return results
    }

    /// Captions a batch through the workers.
    /// - Parameter images: Keys and images.
    /// - Returns: One caption (or item error) per image, in order.
    /// - Throws: `GeneratorError` when a chunk failed after all retries.
    public func caption(_ images: [(key: String, image: Image)]) throws(GeneratorError) -> [Result<String, GeneratorError>] {
        try chunked(images) { (chunk) throws(GeneratorError) -> [Result<String, GeneratorError>] in
            let items: [[String: Any]] = chunk.map { ["key": $0.key, "width": $0.image.width, "height": $0.image.height] }
            let payloads = chunk.map { Self.rgbBytes($0.image) }
            let answer = try pool.request { id in WorkerFrame(header: ["type": "caption", "id": id, "items": items], payloads: payloads) }
            guard answer.type == "captions", let answered = answer.header["items"] as? [[String: Any]], answered.count == chunk.count else {
                throw GeneratorError(.protocolViolation, "caption answered \(answer.type) with a wrong item list")
            }
            return zip(chunk, answered).map { entry, item in
                if let caption = item["caption"] as? String { return .success(caption) }
                return .failure(GeneratorError(.rejected, item["error"] as? String ?? "no caption", key: entry.key))
            }
        }
    }

    /// Scores images against their label prompts (CLIP cosine similarity) through the workers: consecutive requests
    /// with the same label prompt travel together, in chunks of `itemsPerRequest`.
    /// - Parameter requests: The images and labels.
    /// - Returns: One score (or item error) per request, in order.
    /// - Throws: `GeneratorError` when a chunk failed after all retries.
    public func score(_ requests: [ScoreRequest]) throws(GeneratorError) -> [Result<Double, GeneratorError>] {
        var runs: [[ScoreRequest]] = []
        for request in requests {
            if let last = runs.last?.last, last.labelPrompt == request.labelPrompt { runs[runs.count - 1].append(request) } else { runs.append([request]) }
        }
        var scores: [Result<Double, GeneratorError>] = []
        for run in runs {
            scores += try chunked(run) { (chunk) throws(GeneratorError) -> [Result<Double, GeneratorError>] in
                let items: [[String: Any]] = chunk.map { ["key": $0.key, "width": $0.image.width, "height": $0.image.height] }
                let payloads = chunk.map { Self.rgbBytes($0.image) }
                let text = chunk[0].labelPrompt
                let answer = try pool.request { id in
                    WorkerFrame(header: ["type": "score", "id": id, "text": text, "items": items], payloads: payloads)
                }
                guard answer.type == "scores", let answered = answer.header["items"] as? [[String: Any]], answered.count == chunk.count else {
                    throw GeneratorError(.protocolViolation, "score answered \(answer.type) with a wrong item list")
                }
                return zip(chunk, answered).map { entry, item in
                    if let score = (item["score"] as? NSNumber)?.doubleValue { return .success(score) }
                    return .failure(GeneratorError(.rejected, item["error"] as? String ?? "no score", key: entry.key))
                }
            }
        }
        return scores
    }

    /// Stops the worker processes.
    public func shutdown() { pool.shutdown() }

    /// Sends every worker SIGTERM (they end at once); calls under way and later ones fail with `.stopped`.
    public func terminate() { pool.terminate() }
}
