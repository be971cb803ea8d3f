import TensorKernels

/// OpenBLAS, as the Tensor module uses it: single-threaded unless `OPENBLAS_NUM_THREADS` says otherwise (the module
/// splits work by images across its own threads, so results never depend on the thread count), with the core type
/// set from the CPU when `OPENBLAS_CORETYPE` is unset.
public enum BLAS {
    /// Loads OpenBLAS (once per process).
    /// - Throws: `.blasUnavailable` with the reason (not installed, no `cblas_sgemm`).
    public static func load() throws(TensorError) {
        guard sgid_blas_load() == 0 else {
            throw TensorError(.blasUnavailable, sgid_blas_error().map { String(cString: $0) } ?? "OpenBLAS could not be loaded")
        }
    }

    /// OpenBLAS's name for the kernels it runs (`SkylakeX`, `Haswell`, …), empty before `load()`.
    public static var core: String { String(cString: sgid_blas_core()) }

    /// Row-major `C[m×n] = alpha · op(A) · op(B) + beta · C` (`cblas_sgemm`); `load()` must have succeeded.
    /// - Parameters:
    ///   - transposeA: Use Aᵀ (A stored k × m).
    ///   - transposeB: Use Bᵀ (B stored n × k).
    ///   - m: Rows of C.
    ///   - n: Columns of C.
    ///   - k: The inner dimension.
    ///   - alpha: Scale of the product.
    ///   - a: A, row stride `lda`.
    ///   - lda: A's row stride.
    ///   - b: B, row stride `ldb`.
    ///   - ldb: B's row stride.
    ///   - beta: Scale of C's old values (0 ignores them).
    ///   - c: C, row stride `ldc`.
    ///   - ldc: C's row stride.
    public static func gemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float = 0,
                            c: UnsafeMutablePointer<Float>, ldc: Int) {
        sgid_sgemm(transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                   beta, c, Int32(ldc))
    }
}

/// Which form of the kernels runs (the best the CPU has unless `SGID_TENSOR_ISA=avx512|avx2|scalar` says otherwise).
public enum KernelForm: Int, Sendable, CaseIterable, CustomStringConvertible {
    /// Portable C.
    case scalar = 0
    /// AVX2 + FMA.
    case avx2 = 1
    /// AVX-512.
    case avx512 = 2

    /// The form in use.
    public static var current: KernelForm { KernelForm(rawValue: Int(sgid_tensor_isa().rawValue)) ?? .scalar }

    /// Forces a form (the CPU's best when it lacks the one asked for).
    /// - Parameter form: The form.
    /// - Returns: The form now in use.
    @discardableResult
    public static func use(_ form: KernelForm) -> KernelForm {
        KernelForm(rawValue: Int(sgid_tensor_set_isa(sgid_isa(rawValue: UInt32(form.rawValue))).rawValue)) ?? .scalar
    }

    /// `scalar`, `avx2` or `avx512`.
    public var description: String { ["scalar", "avx2", "avx512"][rawValue] }
}
