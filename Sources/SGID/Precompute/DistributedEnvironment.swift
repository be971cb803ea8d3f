import Foundation

/// This process's rank and the world size, from flags or from the launcher's environment:
/// Slurm (`SLURM_PROCID`/`SLURM_NTASKS`), torchrun (`RANK`/`WORLD_SIZE`) or a Kubernetes indexed job
/// (`JOB_COMPLETION_INDEX`, with the world size from `--world-size`).
public struct DistributedEnvironment: Sendable, Hashable {
    /// This process's rank.
    public var rank: Int
    /// The number of processes.
    public var worldSize: Int
    /// Where the values came from (`flags`, `slurm`, `torchrun`, `kubernetes`, `default`).
    public var origin: String

    /// Creates a value.
    /// - Parameters:
    ///   - rank: This process's rank.
    ///   - worldSize: The number of processes.
    ///   - origin: Where the values came from.
    public init(rank: Int, worldSize: Int, origin: String) {
        self.rank = rank
        self.worldSize = worldSize
        self.origin = origin
    }

    /// Resolves rank and world size. Flags win; otherwise the first launcher whose variables are set.
    /// - Parameters:
    ///   - rank: `--rank`, if given.
    ///   - worldSize: `--world-size`, if given.
    ///   - environment: The process environment.
    /// - Returns: The resolved values.
    /// - Throws: `GeneratorError.Kind.invalidArgument` for malformed or inconsistent values.
    public static func resolve(rank: Int?, worldSize: Int?, environment: [String: String]) throws(GeneratorError) -> DistributedEnvironment {
        func number(_ name: String) throws(GeneratorError) -> Int? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= 0 else {
                throw GeneratorError(.invalidArgument, "\(name)=\(text) is not a non-negative integer")
            }
            return value
        }
        let resolved: DistributedEnvironment
        if let rank {
            resolved = DistributedEnvironment(rank: rank, worldSize: worldSize ?? 1, origin: "flags")
        } else if let procid = try number("SLURM_PROCID"), let tasks = try number("SLURM_NTASKS") {
            resolved = DistributedEnvironment(rank: procid, worldSize: worldSize ?? tasks, origin: "slurm")
        } else if let rankValue = try number("RANK"), let world = try number("WORLD_SIZE") {
            resolved = DistributedEnvironment(rank: rankValue, worldSize: worldSize ?? world, origin: "torchrun")
        } else if let index = try number("JOB_COMPLETION_INDEX") {
            guard let worldSize else {
                throw GeneratorError(.invalidArgument, "JOB_COMPLETION_INDEX is set: give the number of indexed pods with --world-size")
            }
            resolved = DistributedEnvironment(rank: index, worldSize: worldSize, origin: "kubernetes")
        } else {
            resolved = DistributedEnvironment(rank: 0, worldSize: worldSize ?? 1, origin: "default")
        }
        guard resolved.worldSize > 0, resolved.rank < resolved.worldSize else {
            throw GeneratorError(.invalidArgument, "rank \(resolved.rank) is outside world size \(resolved.worldSize) (from \(resolved.origin))")
        }
        return resolved
    }

    /// The shard name of this rank's cache writer: `rank-RRRRR-of-WWWWW`.
    public var shardName: String {
        func padded(_ value: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, 5 - digits.count)) + digits
        }
        return "rank-\(padded(rank))-of-\(padded(worldSize))"
    }
}
