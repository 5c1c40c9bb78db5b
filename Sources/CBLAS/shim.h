// CBLAS from Debian's libblas-dev (OpenBLAS behind it at run time) and the few LAPACK routines we call.
#include <stddef.h>
#include <cblas.h>

// LAPACK's Fortran symbols take a hidden trailing size_t length for each character argument.
void spotrf_(const char *uplo, const int *n, float *a, const int *lda, int *info, size_t uplo_len);
void spotrs_(const char *uplo, const int *n, const int *nrhs, const float *a, const int *lda,
             float *b, const int *ldb, int *info, size_t uplo_len);
