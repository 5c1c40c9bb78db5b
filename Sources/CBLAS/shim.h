// CBLAS from Debian's libblas-dev (OpenBLAS behind it at run time). The module also links LAPACK
// (liblapack-dev) for solvers; the trainer's L-BFGS needs none today (see README, "The model"). A LAPACK
// routine declared here must take the hidden trailing size_t length of each character argument.
#include <stddef.h>
#include <cblas.h>
