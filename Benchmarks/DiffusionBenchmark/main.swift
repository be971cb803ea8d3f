import BenchmarkSupport
import Diffusion
import Foundation
import Tensor
import TensorKernels

// The native runtime's UNet forward throughput (issue 11, item 7). Prints one JSON line.
//
//   DiffusionBenchmark unet --model UNET_FOLDER [--batch 64] [--threads 2] [--rounds 5]
//       Batch of random N(0, 1) samples at the model's sample size, timesteps spread over 0…999, labels over the
//       class embeddings; the batch's images are shared out to `threads` workers (one UNet executor each); the
//       fastest of `rounds` passes after one warm-up. Reports img/s, multiply-adds per image, GFLOP/s (2 per
//       multiply-add), peak RSS.
//   DiffusionBenchmark sgemm [--threads 2] [--size 1024] [--seconds 1]
//       OpenBLAS sgemm (single-threaded, as the runtime loads it) on size³ matrices, one call stream per thread at once:
//       the machine's sgemm peak for that many cores.

func option(_ name: String, _ fallback: String? = nil) -> String? {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: "--" + name), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}

func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func json(_ fields: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

/// Runs `work(worker, item)` for items 0..<count on `threads` threads.
func parallel(count: Int, threads: Int, _ work: @Sendable (Int, Int) -> Void) {
    let next = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    next.initialize(to: 0)
    defer { next.deallocate() }
    let lock = NSLock()
    nonisolated(unsafe) let counter = next
    DispatchQueue.concurrentPerform(iterations: threads) { worker in
        while true {
            lock.lock()
            let item = counter.pointee
            counter.pointee += 1
            lock.unlock()
            guard item < count else { return }
            work(worker, item)
        }
    }
}

final class Executors: @unchecked Sendable {
    let all: [UNetExecutor]
    init(_ all: [UNetExecutor]) { self.all = all }
}

func unet() throws {
    guard let folder = option("model") else { fatalError("--model UNET_FOLDER is required") }
    let batch = Int(option("batch", "64")!)!, threads = Int(option("threads", "2")!)!, rounds = Int(option("rounds", "5")!)!
    let model = try UNet2DModel(folder: folder)
    let size = model.config.sampleSize!
    let channels = model.config.inChannels
    let executors = Executors(try (0..<threads).map { _ in try model.executor(height: size.height, width: size.width) })
    let noise = PhiloxNoise(seed: 7)
    let samples: [FeatureMap] = (0..<batch).map { index in
        let map = FeatureMap(height: size.height, width: size.width, channels: channels)
        noise.fill(stream: index, map.values, count: map.count)
        return map
    }
    let classes = model.config.numClassEmbeds
    nonisolated(unsafe) let shared = samples
    func pass() {
        parallel(count: batch, threads: threads) { worker, item in
            executors.all[worker].predict(shared[item], timestep: Float((item * 997) % 1000), classLabel: classes.map { item % $0 })
        }
    }
    pass()  // warm-up
    let best = BenchmarkTimer.best(rounds: rounds) { pass() }
    let macs = model.multiplyAdds(height: size.height, width: size.width)
    let rate = Double(batch) / best
    json(["program": "sgid-native", "model": folder, "batch": batch, "threads": threads, "images_per_second": rate,
          "multiply_adds_per_image": macs, "gflops": rate * Double(macs) * 2 / 1e9, "peak_rss_mib": peakResidentMiB(),
          "kernels": KernelForm.current.description, "blas_core": BLAS.core, "seconds_per_batch": best])
}

func sgemm() throws {
    try BLAS.load()
    let threads = Int(option("threads", "2")!)!, size = Int(option("size", "1024")!)!, seconds = Double(option("seconds", "1")!)!
    final class Matrices: @unchecked Sendable {
        let a: [UnsafeMutablePointer<Float>], b: [UnsafeMutablePointer<Float>], c: [UnsafeMutablePointer<Float>]
        init(threads: Int, count: Int) {
            func make() -> [UnsafeMutablePointer<Float>] {
                (0..<threads).map { _ in
                    let pointer = UnsafeMutablePointer<Float>.allocate(capacity: count)
                    for index in 0..<count { pointer[index] = Float(index % 17) / 17 }
                    return pointer
                }
            }
            (a, b, c) = (make(), make(), make())
        }
    }
    let matrices = Matrices(threads: threads, count: size * size)
    var best = 0.0
    for _ in 0..<3 {
        let calls = UnsafeMutablePointer<Int>.allocate(capacity: threads)
        calls.initialize(repeating: 0, count: threads)
        nonisolated(unsafe) let counts = calls
        let start = ContinuousClock.now
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            let begin = ContinuousClock.now
            repeat {
                BLAS.gemm(m: size, n: size, k: size, a: matrices.a[worker], lda: size, b: matrices.b[worker], ldb: size,
                          c: matrices.c[worker], ldc: size)
                counts[worker] += 1
            } while BenchmarkTimer.seconds(ContinuousClock.now - begin) < seconds
        }
        let elapsed = BenchmarkTimer.seconds(ContinuousClock.now - start)
        let total = (0..<threads).reduce(0) { $0 + counts[$1] }
        best = max(best, Double(total) * 2 * Double(size * size * size) / elapsed / 1e9)
        calls.deallocate()
    }
    json(["program": "openblas-sgemm", "threads": threads, "size": size, "gflops": best, "blas_core": BLAS.core])
}

switch CommandLine.arguments.dropFirst().first {
case "unet": try unet()
case "sgemm": try sgemm()
default: fatalError("usage: DiffusionBenchmark unet --model DIR [--batch B --threads T --rounds R] | sgemm [--threads T --size N]")
}
