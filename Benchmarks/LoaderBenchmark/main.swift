// Loader throughput: SGIDKit's DataLoader over an ImageFolder tree, for comparison with PyTorch's DataLoader +
// torchvision and DALI (Benchmarks/peers/), and the libjpeg-turbo 1/8-scale decoding bound. Run by
// scripts/bench-loader.sh; see Benchmarks/README.md ("Loader throughput").
//
// Usage: LoaderBenchmark loader ROOT [--mode exact|fast] [--randaugment] [--rounds 3] [--threads CORES]
//                               [--batch-size 64]
//        LoaderBenchmark bound ROOT [--rounds 3] [--threads CORES]
// Prints one JSON line: {"peer", "img_per_s", "seconds", "images", "cpu_ms_per_img", "peak_rss_mb", "threads"};
// `loader` adds "checksum" (epoch 0, every 97th float: equal across builds that deliver the same pixels).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

do {
    let options = try BenchmarkOptions(Array(CommandLine.arguments.dropFirst()))
    switch options.command {
    case .loader:
        let result = try EpochBenchmark(options)
        print(jsonLine(peer: "ours-\(options.mode.rawValue)\(options.randAugment ? "-randaugment" : "")", images: result.images, bestSeconds: result.bestSeconds,
                       cpuMillisecondsPerImage: result.cpuMillisecondsPerImage, threads: options.threads,
                       checksum: result.checksum))
    case .bound:
        let result = try DecodeBound(options)
        print(jsonLine(peer: "bound-1/8", images: result.images, bestSeconds: result.bestSeconds,
                       cpuMillisecondsPerImage: result.cpuMillisecondsPerImage, threads: options.threads))
    }
} catch {
    var text = "LoaderBenchmark: \(error)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(1)
}
