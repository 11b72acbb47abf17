/* The agent's confinement (sandbox_agent.h): another uid, no way back, a seccomp allow-list. */
#include "sandbox_agent.h"
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH AUDIT_ARCH_AARCH64
#endif

#define FILTER_MAX 512

struct filter {
	struct sock_filter insn[FILTER_MAX];
	unsigned n;
};

static void emit(struct filter *f, struct sock_filter i)
{
	if (f->n < FILTER_MAX)
		f->insn[f->n] = i;
	f->n++; /* past the end: refused when installed */
}

#define STMT(code, k) ((struct sock_filter)BPF_STMT((code), (k)))
#define JUMP(code, k, jt, jf) ((struct sock_filter)BPF_JUMP((code), (k), (jt), (jf)))
#define LOAD_NR STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
/* (the low 32 bits of an argument, where every flag and constant below lies) */
#define LOAD_ARG(i) STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[i]))
#define RET(k) STMT(BPF_RET | BPF_K, (k))
#define ERRNO(e) (SECCOMP_RET_ERRNO | ((e)&SECCOMP_RET_DATA))

static void allow(struct filter *f, unsigned nr)
{
	emit(f, JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1));
	emit(f, RET(SECCOMP_RET_ALLOW));
}

static void answer(struct filter *f, unsigned nr, unsigned action)
{
	emit(f, JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1));
	emit(f, RET(action));
}

/* nr is allowed when (argument & mask) == want, else it gets action. */
static void allow_masked(struct filter *f, unsigned nr, unsigned arg, unsigned mask, unsigned want,
                         unsigned action)
{
	emit(f, JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 5));
	emit(f, LOAD_ARG(arg));
	emit(f, STMT(BPF_ALU | BPF_AND | BPF_K, mask));
	emit(f, JUMP(BPF_JMP | BPF_JEQ | BPF_K, want, 0, 1));
	emit(f, RET(SECCOMP_RET_ALLOW));
	emit(f, RET(action));
}

/* nr is allowed when the argument is one of v[0..n), else it gets action (n at most 8). */
static void allow_one_of(struct filter *f, unsigned nr, unsigned arg, const unsigned *v, unsigned n,
                         unsigned action)
{
	emit(f, JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, (unsigned char)(n + 3)));
	emit(f, LOAD_ARG(arg));
	for (unsigned i = 0; i < n; i++) /* a match jumps to the ALLOW after the last test */
		emit(f, JUMP(BPF_JMP | BPF_JEQ | BPF_K, v[i], (unsigned char)(n - 1 - i),
		             i + 1 == n ? 1 : 0));
	emit(f, RET(SECCOMP_RET_ALLOW));
	emit(f, RET(action));
}

/* What the agent does: net-snmp's sessions (AgentX, remote hosts over UDP, syslog), its
 * threads, netlink sock_diag and /proc reads, pipes between threads, the monitor's and the
 * helper's sockets. Files are opened for reading only. */
/* clang-format off */
static const unsigned basic[] = {
    /* first what net-snmp's loop and the threads call most (the chain is read in order) */
    SYS_read, SYS_write, SYS_recvmsg, SYS_sendmsg, SYS_recvfrom, SYS_sendto, SYS_futex,
#ifdef SYS_select
    SYS_select, SYS_poll,
#endif
    SYS_pselect6, SYS_ppoll, SYS_close, SYS_fstat, SYS_newfstatat, SYS_lseek, SYS_getdents64,
    SYS_mmap, SYS_munmap, SYS_madvise, SYS_brk, SYS_clock_gettime, SYS_gettimeofday,
    /* descriptors, reading files, pipes between threads, the state text's memfd */
    SYS_readv, SYS_writev, SYS_pread64, SYS_statx, SYS_statfs, SYS_fstatfs, SYS_readlinkat,
    SYS_faccessat, SYS_faccessat2, SYS_fcntl, SYS_dup, SYS_dup3, SYS_pipe2, SYS_memfd_create,
    SYS_getcwd,
    /* memory, threads, signals, waiting for the helper */
    SYS_mremap, SYS_mprotect, SYS_set_robust_list, SYS_rseq, SYS_sched_yield,
    SYS_sched_getaffinity, SYS_rt_sigaction, SYS_rt_sigprocmask, SYS_rt_sigreturn,
    SYS_sigaltstack, SYS_tgkill, SYS_kill, SYS_wait4, SYS_restart_syscall, SYS_exit,
    SYS_exit_group,
    /* timers, clocks, who it is */
    SYS_nanosleep, SYS_clock_nanosleep, SYS_clock_getres, SYS_setitimer, SYS_getitimer,
    SYS_getpid, SYS_gettid, SYS_getppid, SYS_getuid, SYS_geteuid, SYS_getgid, SYS_getegid,
    SYS_getresuid, SYS_getresgid, SYS_uname, SYS_sysinfo, SYS_getrandom, SYS_getrusage,
    SYS_times, SYS_prlimit64,
    /* sockets (socket itself: by family, below) */
    SYS_connect, SYS_bind, SYS_sendmmsg, SYS_recvmmsg, SYS_getsockname, SYS_getpeername,
    SYS_shutdown, SYS_setsockopt, SYS_getsockopt,
#ifdef SYS_access /* the older calls, where the architecture has them */
    SYS_access, SYS_readlink, SYS_stat, SYS_lstat, SYS_dup2, SYS_pipe, SYS_alarm, SYS_getdents,
#endif
};
/* clang-format on */

/* The calls whose arguments matter, and the rest of the list. */
static void allow_agent(struct filter *f)
{
	static const unsigned families[] = {AF_UNIX, AF_INET, AF_INET6, AF_NETLINK};
	static const unsigned ioctls[] = {TCGETS, FIONREAD, FIONBIO};
	for (size_t i = 0; i < sizeof(basic) / sizeof(basic[0]); i++)
		allow(f, basic[i]);
	/* files for reading only: whatever a compromise does, it writes no file */
	allow_masked(f, SYS_openat, 2, O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND, 0, ERRNO(EACCES));
#ifdef SYS_open
	allow_masked(f, SYS_open, 1, O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND, 0, ERRNO(EACCES));
#endif
	allow_one_of(f, SYS_socket, 0, families, 4, ERRNO(EAFNOSUPPORT));
	allow_one_of(f, SYS_ioctl, 1, ioctls, 3, ERRNO(ENOTTY));
	/* glibc tries clone3 first, whose flags a filter cannot see: ENOSYS has it use clone */
	answer(f, SYS_clone3, ERRNO(ENOSYS));
#ifdef CVP_SANITIZER_RUNTIME
	/* the sanitizers' runtimes: LeakSanitizer stops the threads from a traced clone at exit */
	allow(f, SYS_clone);
	allow(f, SYS_ptrace);
	allow(f, SYS_prctl);
#else
	allow_masked(f, SYS_clone, 0, CLONE_THREAD, CLONE_THREAD, SECCOMP_RET_KILL_PROCESS);
#endif
}

int sandbox_agent_filter(void)
{
#ifdef ARCH
	struct filter f = {.n = 0};
	emit(&f, STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
	emit(&f, JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0));
	emit(&f, RET(SECCOMP_RET_KILL_PROCESS));
	emit(&f, LOAD_NR);
#ifdef __x86_64__
	emit(&f, JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1)); /* the x32 ABI's numbers */
	emit(&f, RET(SECCOMP_RET_KILL_PROCESS));
#endif
	allow_agent(&f);
	emit(&f, RET(SECCOMP_RET_KILL_PROCESS));
	if (f.n > FILTER_MAX) {
		errno = E2BIG;
		return -1;
	}
	struct sock_fprog prog = {.len = (unsigned short)f.n, .filter = f.insn};
	return sandbox_install(&prog);
#else
	errno = ENOSYS;
	return -1;
#endif
}

int sandbox_agent_become(uid_t uid, gid_t gid, pid_t parent)
{
	/* the capabilities no process of the agent's may ever hold again (EPERM without
	 * CAP_SETPCAP: the uid change below clears them anyway) */
	for (int cap = 0; cap < 64; cap++)
		prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
		return -1;
	/* As OpenSSH checks after its own switch: the old ids must not come back. */
	if (uid != 0 && (setresuid(0, 0, 0) == 0 || geteuid() == 0 || getuid() == 0)) {
		errno = EPERM;
		return -1;
	}
	if (gid != 0 && (setresgid(0, 0, 0) == 0 || getegid() == 0)) {
		errno = EPERM;
		return -1;
	}
#ifdef CVP_SANITIZER_RUNTIME
	/* LeakSanitizer attaches to the process's threads at exit, as the same user; the switch
	 * made the process undumpable, which forbids that (a release build stays undumpable) */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
#endif
	/* (set after the switch, which clears it) the agent does not outlive its monitor */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) < 0)
		return -1;
	return getppid() != parent ? (errno = ESRCH, -1) : 0; /* it is gone already */
}
