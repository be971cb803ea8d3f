import Augment
import CacheShard
import Foundation
import ImageCodec

/// Generates one sample's variants when the cache misses (SGID's `generate` miss policy, and the background filler),
/// with bounded concurrency, and appends the record to a cache shard so later epochs find it.
public final class OnDemandGenerator: Sendable {
    /// The generator.
    public let generator: any ImageGenerator
    /// The captioner, if captions are part of the prompt.
    public let captioner: (any Captioner)?
    /// The run's settings.
    public let settings: GenerationSettings
    /// The cache fingerprint of generator + settings.
    public let fingerprint: String
    /// Where records go.
    public let appender: CacheAppender
    /// Class names for label text.
    public let classNames: [String]
    private let slots: DispatchSemaphore

    /// Creates an on-demand generator.
    /// - Parameters:
    ///   - generator: The generator.
    ///   - captioner: The captioner, or `nil`.
    ///   - settings: Generation settings.
    ///   - appender: The shard receiving records.
    ///   - classNames: Class names for label text.
    ///   - concurrency: Generations in flight at most (default 1).
    public init(generator: any ImageGenerator, captioner: (any Captioner)?, settings: GenerationSettings,
                appender: CacheAppender, classNames: [String] = [], concurrency: Int = 1) {
        self.generator = generator
        self.captioner = captioner
        self.settings = settings
        self.appender = appender
        self.classNames = classNames
        fingerprint = settings.fingerprint(generator: generator.identity, captioner: captioner?.captionerIdentity)
        slots = DispatchSemaphore(value: max(1, concurrency))
    }

    /// Prepares a subject from a sample whose image is still encoded.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - digest: SHA-256 of its encoded bytes.
    /// - Returns: The subject (not yet captioned).
    /// - Throws: `GeneratorError` when the image does not decode or the sample has no label.
    public func subject(for sample: Sample, digest: SourceDigest) throws(GeneratorError) -> GenerationSubject {
        guard let label = LabelText.of(sample, classNames: classNames) else {
            throw GeneratorError(.invalidArgument, "sample has no label for the prompt", key: sample.key)
        }
        var copy = sample
        copy.decodeOptions.mode = .rgb
        let image: Image
        do {
            image = try copy.pixels()
        } catch {
            throw GeneratorError(.invalidArgument, "source does not decode: \(error.message)", key: sample.key)
        }
        return GenerationSubject(key: sample.key, sourceDigest: digest, label: label, caption: sample.caption,
                                 image: GenerationSubject.fit(image, to: settings.size))
    }

    /// Captions (if a captioner is set and the subject has no caption), generates, and appends the record.
    /// - Parameter subject: The prepared source.
    /// - Returns: The record written.
    /// - Throws: `GeneratorError` for generation failures or cache write failures.
    @discardableResult
    public func generate(_ subject: GenerationSubject) throws(GeneratorError) -> CacheRecord {
        slots.wait()
        defer { slots.signal() }
        var subject = subject
        if let captioner, subject.caption == nil {
            subject.caption = try captioner.caption([(subject.key, subject.image)]).first?.get()
        }
        let plan = GenerationPlan.requests(for: subject, settings: settings)
        let results = try generator.generate(plan.map(\.request))
        let outcome = GenerationPlan.outcome(for: subject, results: results, settings: settings, fingerprint: fingerprint,
                                             generator: generator.identity, captioner: captioner?.captionerIdentity)
        guard let record = outcome.record else {
            throw outcome.error ?? GeneratorError(.rejected, "generation produced no record", key: subject.key)
        }
        do {
            try appender.append(record)
            try appender.commit()
        } catch {
            throw GeneratorError(.invalidArgument, "cannot write the cache: \(error)", key: subject.key)
        }
        return record
    }
}
