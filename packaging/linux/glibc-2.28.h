/* Force-included (gcc -include) when packaging/build-bullseye.sh compiles CPython on Debian 11
 * (glibc 2.31), so that libpython asks for nothing newer than glibc 2.28 (UOS 20).
 *
 * glibc 2.29 gave exp, exp2, log, log2 and pow new symbol versions (faster, same results within
 * the C standard's error bounds); code compiled against 2.29 or later binds to those. The older
 * versions are still in every glibc, and binding to them is what a program built on 2.28 does.
 * (sem_clockwait, glibc 2.30, is switched off by configure instead: ac_cv_func_sem_clockwait=no.)
 */
#if defined(__x86_64__)
__asm__(".symver exp,exp@GLIBC_2.2.5");
__asm__(".symver exp2,exp2@GLIBC_2.2.5");
__asm__(".symver log,log@GLIBC_2.2.5");
__asm__(".symver log2,log2@GLIBC_2.2.5");
__asm__(".symver pow,pow@GLIBC_2.2.5");
#elif defined(__aarch64__)
__asm__(".symver exp,exp@GLIBC_2.17");
__asm__(".symver exp2,exp2@GLIBC_2.17");
__asm__(".symver log,log@GLIBC_2.17");
__asm__(".symver log2,log2@GLIBC_2.17");
__asm__(".symver pow,pow@GLIBC_2.17");
#endif
