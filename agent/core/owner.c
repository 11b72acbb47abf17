/* The owner entry's transitions, and what attribution reads of a process. */
#include "owner.h"
#include "text.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#define PROC_SUPER_MAGIC_ 0x9fa0 /* linux/magic.h */

void owner_proc_root(struct cvp_proc_root *r, const char *path)
{
	struct statfs sf;
	char self[PATH_MAX], link[32];

	r->path = path;
	r->procfs = statfs(path, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC_;
	r->own = 0;
	if (!r->procfs)
		return;
	/* A procfs of another pid namespace names other processes by the same numbers. */
	snprintf(self, sizeof(self), "%s/self", path);
	ssize_t n = readlink(self, link, sizeof(link) - 1);
	if (n > 0) {
		char mine[32];
		link[n] = '\0';
		snprintf(mine, sizeof(mine), "%ld", (long)getpid());
		r->own = strcmp(link, mine) == 0;
	}
}

void owner_lost(struct cvp_owner *o)
{
	o->state = CVP_OWNER_SEEKING;
	o->pid = 0;
	o->retry_at = 0;
	o->attempts = o->misses = 0;
	o->facts.comm[0] = '\0';
}

void owner_found(struct cvp_owner *o, uint32_t pid, int fd, const struct cvp_proc_facts *f)
{
	o->state = pid == 1 ? CVP_OWNER_PID1 : CVP_OWNER_PROCESS;
	o->pid = pid;
	o->fd = fd;
	o->facts = *f;
}

static int owner_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct cvp_owner *)a)->inode, y = ((const struct cvp_owner *)b)->inode;
	return x < y ? -1 : x > y;
}

struct cvp_owner *owner_find(struct cvp_owner *v, size_t n, uint64_t inode)
{
	struct cvp_owner key = {.inode = inode};
	return n ? bsearch(&key, v, n, sizeof(*v), owner_cmp) : NULL;
}

/* Reads at most len - 1 bytes of ROOT/PID/NAME; returns the count, or -1. */
static ssize_t read_proc_file(const struct cvp_proc_root *r, uint32_t pid, const char *name,
                              char *buf, size_t len)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%u/%s", r->path, pid, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* The real and effective uid from the "Uid:" line of /proc/PID/status. */
static void parse_uids(const char *status, struct cvp_proc_facts *f)
{
	const char *u = strstr(status, "\nUid:");
	unsigned long ruid, euid;
	if (u && sscanf(u + 5, "%lu %lu", &ruid, &euid) == 2 && ruid < UINT32_MAX &&
	    euid < UINT32_MAX) {
		f->ruid = (uint32_t)ruid;
		f->euid = (uint32_t)euid;
	}
}

int owner_read_facts(const struct cvp_proc_root *r, uint32_t pid, struct cvp_proc_facts *f)
{
	char raw[CVP_COMM_LEN + 2], status[2048]; /* the Uid line is within the first 1 KiB */
	f->comm[0] = '\0';
	f->ruid = f->euid = CVP_UID_UNKNOWN;
	ssize_t n = read_proc_file(r, pid, "comm", raw, sizeof(raw));
	if (n <= 0)
		return -1;
	/* Only the last newline is the kernel's: a name may hold newlines of its own. */
	if (raw[n - 1] == '\n')
		n--;
	text_escape(raw, (size_t)n, f->comm, sizeof(f->comm));
	if (read_proc_file(r, pid, "status", status, sizeof(status)) > 0)
		parse_uids(status, f);
	return 0;
}
