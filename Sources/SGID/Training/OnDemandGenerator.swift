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
    /// The consistency scorer, if variants are scored.
    public let scorer: (any ConsistencyScorer)?
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
    ///   - scorer: The consistency scorer, or `nil`.
    ///   - settings: Generation settings.
    ///   - appender: The shard receiving records.
    ///   - classNames: Class names for label text.
    ///   - concurrency: Generations in flight at most (default 1).
    public init(generator: any ImageGenerator, captioner: (any Captioner)?, scorer: (any ConsistencyScorer)? = nil,
                settings: GenerationSettings, appender: CacheAppender, classNames: [String] = [], concurrency: Int = 1) {
        self.generator = generator
        self.captioner = captioner
        self.scorer = scorer
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
        try GenerationSubject(preparing: sample, digest: digest, settings: settings, classNames: classNames,
                              capabilities: generator.capabilities)
    }

    /// Captions (if a captioner is set and the subject has no caption), generates under the consistency policy, and
    /// appends the record.
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
        let generation = GenerationPlan.generate([subject], settings: settings, generator: generator, scorer: scorer)[0]
        let outcome = GenerationPlan.outcome(of: generation, settings: settings, fingerprint: fingerprint,
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
