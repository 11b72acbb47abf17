/* A descriptor passed over a unix socket (SCM_RIGHTS): at most one per message, which is all
 * cvpportd's processes ever pass (a worker's socket, a file the monitor opened, a memfd). */
#ifndef FDPASS_H
#define FDPASS_H

#include <sys/socket.h>

/* The control buffer a message needs to carry one descriptor. */
#define FDPASS_CONTROL CMSG_SPACE(sizeof(int))

/* Points msg's control at control (FDPASS_CONTROL bytes) and, when fd >= 0, puts fd in it for
 * sendmsg; with fd < 0 the buffer is only made ready for recvmsg. */
void fdpass_attach(struct msghdr *msg, char *control, int fd);
/* The descriptor a received message carries, or -1 (none, or not exactly one). */
int fdpass_take(const struct msghdr *msg);

#endif
