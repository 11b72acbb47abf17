/* Capabilities kept or dropped, and the seccomp filter of the attribution helper's workers. */
#include "sandbox.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* --- capabilities --------------------------------------------------------------------------- */

/* Keeps only the capabilities in keep (of those held): effective and permitted; none
 * inheritable or ambient; the bounding set cut where CAP_SETPCAP allows. */
int sandbox_keep_caps(uint64_t keep)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[2];
	/* EINVAL past the last capability, EPERM without CAP_SETPCAP: both fine */
	for (int cap = 0; cap < 64; cap++)
		if (!(keep & (1ull << cap)))
			prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (syscall(SYS_capget, &h, d) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		uint32_t k = (uint32_t)(keep >> (32 * i));
		d[i].effective &= k;
		d[i].permitted &= k;
		d[i].inheritable = 0;
	}
	if (syscall(SYS_capset, &h, d) < 0)
		return -1;
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

int sandbox_drop_all(void)
{
	return sandbox_keep_caps(0);
}

/* --- the sandbox ---------------------------------------------------------------------------- */

#if defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH AUDIT_ARCH_AARCH64
#endif

#define ALLOW(nr)                                                                                  \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1),                                           \
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

#ifdef ARCH
/* The worker's allow-list: reading /proc and answering, nothing else. */
static const struct sock_filter worker_filter[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
#ifdef __x86_64__
    /* the x32 ABI's numbers */
    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
#endif
    /* the request and the answer */
    ALLOW(__NR_read),
    ALLOW(__NR_write),
    ALLOW(__NR_close),
    /* reading /proc: directories, links, files, the pidfd watch */
    ALLOW(__NR_openat),
    ALLOW(__NR_getdents64),
    ALLOW(__NR_readlinkat),
    ALLOW(__NR_newfstatat),
    ALLOW(__NR_fstat),
    ALLOW(__NR_statfs),
    ALLOW(__NR_lseek),
    ALLOW(__NR_fcntl),
    ALLOW(__NR_ppoll),
    ALLOW(__NR_pidfd_open),
#ifdef __NR_open
    ALLOW(__NR_open),
    ALLOW(__NR_readlink),
    ALLOW(__NR_poll),
#endif
    /* the walk's CPU clock, memory, the end */
    ALLOW(__NR_clock_gettime),
    ALLOW(__NR_brk),
    ALLOW(__NR_mmap),
    ALLOW(__NR_munmap),
    ALLOW(__NR_mremap),
    ALLOW(__NR_mprotect),
    ALLOW(__NR_madvise),
    ALLOW(__NR_getrandom),
    /* glibc's qsort asks how much memory there is (sysconf(_SC_PHYS_PAGES)) before it
     * allocates a buffer for more than 1 KiB: sorting a few hundred owners takes it */
    ALLOW(__NR_sysinfo),
    ALLOW(__NR_futex),
    ALLOW(__NR_rt_sigreturn),
    ALLOW(__NR_restart_syscall),
    ALLOW(__NR_sigaltstack), /* its own signal stack, freed at exit by sanitizer runtimes */
    ALLOW(__NR_exit),
    ALLOW(__NR_exit_group),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
};
#endif

int sandbox_install(const struct sock_fprog *prog)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	/* prctl rather than seccomp(2), which systemd's @system-service filter does not allow;
	 * so no TSYNC: installed while the process has one thread, which every later one inherits
	 */
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, prog, 0, 0);
}

int sandbox_enter(void)
{
#ifdef ARCH
	struct sock_fprog prog = {.len = sizeof(worker_filter) / sizeof(worker_filter[0]),
	                          .filter = (struct sock_filter *)worker_filter};
	return sandbox_install(&prog);
#else
	errno = ENOSYS;
	return -1;
#endif
}
