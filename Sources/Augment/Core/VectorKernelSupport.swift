import VectorKernels

/// Whether this CPU runs the C vector kernels (`Sources/VectorKernels`: x86-64 with AVX2, unless
/// `SGID_DISABLE_VECTOR_KERNELS=1`); the Swift loops run otherwise. Decided once per process.
enum VectorKernelSupport {
    /// `true` when the vector kernels run.
    static let available = sgid_vector_kernels_available() != 0
}
