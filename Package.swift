// swift-tools-version: 6.0
// SGIDKit: streams image-classification datasets through augmentation pipelines into training batches.
// Layers (dependencies point down only): sgid CLI → SGID → Loader → Augment → Formats (leaf modules).
import PackageDescription

/// A Debian system library reached through pkg-config; the set-up script installs the package.
func systemLibrary(_ name: String, pkgConfig: String, apt: [String]) -> Target {
    .systemLibrary(
        name: name, path: "Formats/SystemLibraries/\(name)",
        pkgConfig: pkgConfig, providers: [.apt(apt)])
}

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "SGIDKit",
    products: [
        .executable(name: "sgid", targets: ["SGIDCommand"]),
        // The same tool under its target's name: SwiftPM resolves a command plugin's tool dependency by that name.
        .executable(name: "SGIDCommand", targets: ["SGIDCommand"]),
        .library(name: "ImageCodec", targets: ["ImageCodec"]),
        .library(name: "Tar", targets: ["Tar"]),
        .library(name: "CacheShard", targets: ["CacheShard"]),
        .library(name: "Safetensors", targets: ["Safetensors"]),
        .library(name: "IDX", targets: ["IDX"]),
        .library(name: "GenerationCache", targets: ["GenerationCache"]),
        .library(name: "Augment", targets: ["Augment"]),
        .library(name: "Loader", targets: ["Loader"]),
        .library(name: "SGID", targets: ["SGID"]),
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "Diffusion", targets: ["Diffusion"]),
        .library(name: "NativeGenerator", targets: ["NativeGenerator"]),
        .library(name: "Training", targets: ["Training"]),
        .plugin(name: "precompute-cache", targets: ["PrecomputeCachePlugin"]),
    ],
    targets: [
        // Formats/: leaf modules, no project imports.
        systemLibrary("CJPEG", pkgConfig: "libjpeg", apt: ["libjpeg62-turbo-dev"]),
        systemLibrary("CPNG", pkgConfig: "libpng", apt: ["libpng-dev"]),
        systemLibrary("CWebP", pkgConfig: "libwebp", apt: ["libwebp-dev"]),
        systemLibrary("CTIFF", pkgConfig: "libtiff-4", apt: ["libtiff-dev"]),
        systemLibrary("CZstd", pkgConfig: "libzstd", apt: ["libzstd-dev"]),
        systemLibrary("CZlib", pkgConfig: "zlib", apt: ["zlib1g-dev"]),
        systemLibrary("COpenBLAS", pkgConfig: "openblas", apt: ["libopenblas-dev"]),
        .target(
            name: "CodecShims", dependencies: ["CJPEG", "CPNG", "CTIFF"],
            path: "Formats/CodecShims",
            cSettings: [.unsafeFlags(["-O2"])]),
        .target(
            name: "ImageCodec", dependencies: ["CodecShims", "CWebP"],
            path: "Formats/ImageCodec", swiftSettings: strict),
        .target(
            name: "Tar", dependencies: ["CZlib", "CZstd"], path: "Formats/Tar", exclude: ["README.md"],
            swiftSettings: strict),
        .target(
            name: "CacheShard", dependencies: ["CZlib", "CZstd"], path: "Formats/CacheShard",
            exclude: ["SPEC.md", "reference_cache.py"], swiftSettings: strict),
        .target(name: "Safetensors", path: "Formats/Safetensors", exclude: ["SPEC.md"], swiftSettings: strict),
        .target(name: "IDX", dependencies: ["CZlib"], path: "Formats/IDX", exclude: ["SPEC.md"], swiftSettings: strict),

        // Sources/: engine modules and the CLI.
        // AVX2 forms of hot integer loops, chosen at run time (the Swift modules are compiled for baseline x86-64).
        .target(
            name: "VectorKernels", path: "Sources/VectorKernels",
            cSettings: [.unsafeFlags(["-O2", "-ffp-contract=off"])]),
        // Float32 kernels of the Tensor module (AVX-512 / AVX2 / portable, chosen at run time) and OpenBLAS, loaded
        // with dlopen so its core type can match the CPU. -O3 in every build: the debug test run calls them too.
        .target(
            name: "TensorKernels", path: "Sources/TensorKernels",
            cSettings: [.unsafeFlags(["-O3", "-ffp-contract=off"])]),
        .target(name: "Tensor", dependencies: ["TensorKernels"], path: "Sources/Tensor", swiftSettings: strict),
        // diffusers' UNet2DModel, schedulers and img2img, natively (no SGID, no loader: Tensor + Safetensors + ImageCodec).
        .target(
            name: "Diffusion", dependencies: ["Tensor", "Safetensors", "ImageCodec"], path: "Sources/Diffusion",
            swiftSettings: strict),
        // A small reference trainer (layers with backward passes, cross-entropy, AdamW, schedules) over Tensor's BLAS.
        .target(name: "Training", dependencies: ["Tensor", "Safetensors"], path: "Sources/Training", swiftSettings: strict),
        // The bounded queue every stage of the loader and the precompute hands work through (package-internal).
        .target(name: "WorkQueues", path: "Sources/WorkQueues", swiftSettings: strict),
        .target(
            name: "Augment", dependencies: ["ImageCodec", "VectorKernels"], path: "Sources/Augment",
            swiftSettings: strict),
        .target(
            name: "Loader", dependencies: ["Augment", "ImageCodec", "Tar", "VectorKernels", "WorkQueues"], path: "Sources/Loader",
            swiftSettings: strict),
        .target(
            name: "SGID", dependencies: ["Augment", "Loader", "GenerationCache", "CacheShard", "ImageCodec", "WorkQueues"],
            path: "Sources/SGID", swiftSettings: strict),
        .target(
            name: "GenerationCache", dependencies: ["CacheShard", "ImageCodec"], path: "Sources/GenerationCache",
            swiftSettings: strict),
        // The `native` generator: an adapter from SGID's generator contract to the Diffusion runtime (SGID itself never
        // links BLAS).
        .target(
            name: "NativeGenerator", dependencies: ["SGID", "Diffusion", "Tensor", "Training", "Augment", "ImageCodec", "CacheShard"],
            path: "Sources/NativeGenerator", swiftSettings: strict),
        .target(name: "ArgumentParsing", path: "Sources/ArgumentParsing", swiftSettings: strict),
        .executableTarget(
            name: "SGIDCommand",
            dependencies: ["ArgumentParsing", "ImageCodec", "Tar", "CacheShard", "GenerationCache", "Augment", "Loader", "SGID",
                           "NativeGenerator", "IDX", "Training"],
            path: "Sources/SGIDCommand", swiftSettings: strict),

        // Plugins/: SwiftPM command plugins.
        .plugin(
            name: "PrecomputeCachePlugin",
            capability: .command(
                intent: .custom(verb: "precompute-cache", description: "Generate SGID variants into a cache (sgid precompute)")),
            dependencies: ["SGIDCommand"], path: "Plugins/PrecomputeCachePlugin"),

        // Examples/: programs a user copies from.
        .executableTarget(
            name: "DecodeExample", dependencies: ["ImageCodec"],
            path: "Examples/DecodeExample", swiftSettings: strict),
        .executableTarget(
            name: "FashionMNISTExample", dependencies: ["Loader", "Augment", "SGID", "GenerationCache", "ImageCodec", "Training"],
            path: "Examples/FashionMNIST", exclude: ["RESULTS.md", "RESULTS-NOTES.md", "SEARCH.md", "settings.env"], swiftSettings: strict),

        // Benchmarks/: built with -c release by scripts/bench*.sh.
        .target(name: "BenchmarkSupport", path: "Benchmarks/Support", swiftSettings: strict),
        .executableTarget(
            name: "CodecBenchmark", dependencies: ["BenchmarkSupport", "ImageCodec"],
            path: "Benchmarks/CodecBenchmark", swiftSettings: strict),

        .executableTarget(
            name: "CacheBenchmark", dependencies: ["BenchmarkSupport", "CacheShard", "GenerationCache", "ImageCodec"],
            path: "Benchmarks/CacheBenchmark", swiftSettings: strict),
        .executableTarget(
            name: "LoaderBenchmark", dependencies: ["Loader", "Augment", "ImageCodec"],
            path: "Benchmarks/LoaderBenchmark", swiftSettings: strict),
        .executableTarget(
            name: "DiffusionBenchmark", dependencies: ["BenchmarkSupport", "Diffusion", "Tensor", "TensorKernels"],
            path: "Benchmarks/DiffusionBenchmark", swiftSettings: strict),
        .executableTarget(
            name: "AugmentBenchmark", dependencies: ["BenchmarkSupport", "Augment", "ImageCodec"],
            path: "Benchmarks/AugmentBenchmark", swiftSettings: strict),

        // Tests/ mirrors the modules.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "ImageCodecTests", dependencies: ["ImageCodec", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "TarTests", dependencies: ["Tar", "CacheShard", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "CacheShardTests", dependencies: ["CacheShard", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "SafetensorsTests", dependencies: ["Safetensors", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "IDXTests", dependencies: ["IDX", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "GenerationCacheTests", dependencies: ["GenerationCache", "CacheShard", "ImageCodec", "TestSupport"],
            swiftSettings: strict),
        .testTarget(name: "AugmentTests", dependencies: ["Augment", "ImageCodec", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "LoaderTests", dependencies: ["Loader", "Augment", "ImageCodec", "Tar", "CacheShard", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "SGIDTests",
            dependencies: ["SGID", "Augment", "Loader", "GenerationCache", "CacheShard", "ImageCodec", "TestSupport"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "TensorKernels", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "DiffusionTests", dependencies: ["Diffusion", "Tensor", "Safetensors", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "NativeGeneratorTests", dependencies: ["NativeGenerator", "SGID", "Training", "CacheShard", "GenerationCache", "ImageCodec", "TestSupport"],
            swiftSettings: strict),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Tensor", "IDX", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ArgumentParsingTests", dependencies: ["ArgumentParsing"], swiftSettings: strict),
        .testTarget(name: "CommandTests", dependencies: ["ImageCodec", "CacheShard", "TestSupport"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
