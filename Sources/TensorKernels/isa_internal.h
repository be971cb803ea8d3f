// Shared by the kernel files: the target attributes of each form.
#ifndef SGID_ISA_INTERNAL_H
#define SGID_ISA_INTERNAL_H

#define SGID_AVX512 __attribute__((target("avx512f,avx512dq,avx2,fma")))
#define SGID_AVX2 __attribute__((target("avx2,fma")))

#endif
