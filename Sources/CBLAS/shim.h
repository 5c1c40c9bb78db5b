// CBLAS from Debian's libblas-dev (OpenBLAS behind it at run time). The module also links LAPACK
// (liblapack-dev) for the region model's Newton steps (a Cholesky factorisation and solve). A LAPACK
// routine declared here must take the hidden trailing size_t length of each character argument.
#include <stddef.h>
#include <cblas.h>

/// Cholesky factorisation of a symmetric positive definite matrix (column-major).
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t uplo_len);
/// Solves A X = B with the factor `dpotrf_` left in `a`.
void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a, const int *lda,
             double *b, const int *ldb, int *info, size_t uplo_len);
