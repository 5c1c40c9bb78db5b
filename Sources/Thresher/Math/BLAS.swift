import CBLAS
#if canImport(Glibc)
import Glibc
#endif

/// The only file that calls BLAS: thin Swift wrappers over row-major single precision.
public enum BLAS {
    /// Runs OpenBLAS on one thread unless the user chose otherwise: we parallelise across pages.
    public static func useOneThreadUnlessSet() {
        guard getenv("OPENBLAS_NUM_THREADS") == nil else { return }
        setenv("OPENBLAS_NUM_THREADS", "1", 1)
        // OpenBLAS read the variable when it was loaded, so also tell it directly (the reference BLAS
        // has no such symbol, hence the lookup; a nil handle is RTLD_DEFAULT). The thread it started
        // then would spin in sched_yield for about 0.1 s of CPU before sleeping, on every run: stop it
        // (with one thread OpenBLAS never needs it again).
        if let symbol = dlsym(nil, "openblas_set_num_threads") {
            typealias SetThreads = @convention(c) (Int32) -> Void
            unsafeBitCast(symbol, to: SetThreads.self)(1)
            if let shutdown = dlsym(nil, "blas_thread_shutdown_") {
                typealias Shutdown = @convention(c) () -> Int32
                _ = unsafeBitCast(shutdown, to: Shutdown.self)()
            }
        }
    }

    /// C = alpha * op(A) * op(B) + beta * C, all row-major.
    @inline(__always)
    static func gemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
                     a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float = 0,
                     c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// y = alpha * op(A) * x + beta * y, A row-major m x n.
    @inline(__always)
    static func gemv(trans: Bool = false, m: Int, n: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                     x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>) {
        cblas_sgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }

    /// The dot product of two vectors, accumulated in double precision.
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Double {
        cblas_dsdot(Int32(count), x, 1, y, 1)
    }

    /// y = alpha * op(A) * x + beta * y in double precision, A row-major m x n.
    static func dgemv(trans: Bool = false, m: Int, n: Int, alpha: Double = 1, a: UnsafePointer<Double>, lda: Int,
                      x: UnsafePointer<Double>, beta: Double = 0, y: UnsafeMutablePointer<Double>) {
        cblas_dgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }

    /// C = alpha * A' A + beta * C for A row-major k x n, C n x n; both triangles of C are filled.
    static func dsyrkTransposed(n: Int, k: Int, alpha: Double = 1, a: UnsafePointer<Double>, beta: Double,
                                c: UnsafeMutablePointer<Double>) {
        guard k > 0 else {
            for i in 0..<(n * n) { c[i] *= beta }
            return
        }
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(k), alpha, a, Int32(n), beta, c, Int32(n))
        for i in 0..<n { for j in 0..<i { c[i * n + j] = c[j * n + i] } }
    }

    /// Solves A x = b for a symmetric positive definite n x n A by Cholesky (LAPACK `dpotrf`, `dpotrs`);
    /// b is overwritten with x. Returns false when A is not positive definite.
    static func solvePositiveDefinite(_ a: inout [Double], _ b: inout [Double], n: Int) -> Bool {
        var size = Int32(n), one = Int32(1), info = Int32(0)
        let upper = UInt8(ascii: "U")
        // A symmetric matrix reads the same in row- and column-major order. The trailing 1 is the
        // hidden length of the Fortran character argument.
        withUnsafePointer(to: upper) { uplo in
            uplo.withMemoryRebound(to: CChar.self, capacity: 1) { dpotrf_($0, &size, &a, &size, &info, 1) }
        }
        guard info == 0 else { return false }
        withUnsafePointer(to: upper) { uplo in
            uplo.withMemoryRebound(to: CChar.self, capacity: 1) { dpotrs_($0, &size, &one, a, &size, &b, &size, &info, 1) }
        }
        return info == 0
    }
}
