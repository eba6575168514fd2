// video kernels: each family re-exports its kernels here.
