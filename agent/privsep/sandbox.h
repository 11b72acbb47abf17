/* What a process of cvpportd may still do: its capabilities, and (for the attribution helper's
 * workers) a seccomp filter that allows what reading /proc takes and nothing else. */
#ifndef SANDBOX_H
#define SANDBOX_H

#include <stdint.h>

/* Keeps only the capabilities in keep (a bit per CAP_*) of those held: effective and permitted;
 * none inheritable or ambient; the bounding set cut where CAP_SETPCAP allows; no_new_privs.
 * Returns 0, or -1. */
int sandbox_keep_caps(uint64_t keep);
/* The agent's side: drops every capability and forbids gaining any on exec. Returns 0, or -1. */
int sandbox_drop_all(void);
struct sock_fprog;
/* Sets no_new_privs and installs prog (for good), while the process has one thread: every
 * thread it makes later inherits it. Returns 0, or -1 with errno. */
int sandbox_install(const struct sock_fprog *prog);
/* Enters the workers' seccomp filter (for good). Returns 0, or -1. */
int sandbox_enter(void);

#endif
